"""Write resources/calendar/cn_festival_dates.json: the Gregorian dates of the lunar and solar-term
festivals that are statutory holidays (春节, 清明节, 端午节, 中秋节), one entry per year.

Why a table and not a library at run time: the app needs four dates a year for a few decades,
only for years whose official arrangement (cn_holidays.json) has not been published yet. A table
of ~140 dates is smaller and easier to review than a dependency, and it is checked by the tests
against every year the official calendar holds. This script is how the table was made; run it
again to extend it (``pip install lunardate`` first; it is not a dependency of the app):

    .venv/bin/pip install lunardate && .venv/bin/python tools/make_festival_dates.py

清明 is a solar term, not a lunar date: it is computed with the usual 21st-century formula
(寿星通式) ``floor(Y * 0.2422 + 4.81) - floor(Y / 4)`` with ``Y`` the year within the century,
which gives 4 or 5 April.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

FIRST, LAST = 2024, 2060
OUT = Path(__file__).resolve().parent.parent / "resources" / "calendar" / "cn_festival_dates.json"


def qingming(year: int) -> dt.date:
    y = year % 100
    return dt.date(year, 4, math.floor(y * 0.2422 + 4.81) - y // 4)


def main() -> None:
    from lunardate import LunarDate

    years = {}
    for year in range(FIRST, LAST + 1):
        years[str(year)] = {
            "春节": LunarDate(year, 1, 1).to_solar_date().isoformat(),
            "清明节": qingming(year).isoformat(),
            "端午节": LunarDate(year, 5, 5).to_solar_date().isoformat(),
            "中秋节": LunarDate(year, 8, 15).to_solar_date().isoformat(),
        }
    data = {
        "source": "农历正月初一、五月初五、八月十五 from the lunardate package; 清明 from the"
        " 21st-century solar-term formula. Made by tools/make_festival_dates.py; checked by the"
        " tests against every year of cn_holidays.json.",
        "rules": "《全国年节及纪念日放假办法》（2024年11月修订，2025年1月1日起施行）第二条",
        "years": "YEARS",
    }
    rows = ",\n".join(f'    "{y}": {json.dumps(d, ensure_ascii=False)}' for y, d in years.items())
    text = json.dumps(data, ensure_ascii=False, indent=2).replace('"YEARS"', "{\n" + rows + "\n  }")
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({FIRST}-{LAST})")


if __name__ == "__main__":
    main()
