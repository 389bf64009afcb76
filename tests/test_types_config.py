"""The type-check configuration keeps its promises (issue 18): mypy runs in the test command,
strict, with the layers below the UI never excepted and no exception list that grows back.

mypy itself runs in ``tools/test.sh`` (before pytest), not here: this file checks only that the
configuration and the command still say what they said."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRICT_PACKAGES = ("domain", "store", "services", "sync", "platform")
# Third-party modules without types or stubs: the only overrides allowed, and only this one.
UNTYPED_THIRD_PARTY = {"pi_heif", "pypdfium2", "pypdfium2.*"}


def _mypy() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(config["tool"]["mypy"])


def test_mypy_is_strict_over_the_whole_package() -> None:
    mypy = _mypy()
    assert mypy["strict"] is True
    assert mypy["files"] == ["officer_app"]
    codes = mypy["enable_error_code"]
    assert isinstance(codes, list) and "ignore-without-code" in codes


def test_no_module_of_ours_is_excepted() -> None:
    """The list of excepted modules only shrinks, and it is empty now: a module that fails
    strict mypy is fixed, never listed (the strict packages above all the more)."""
    overrides = _mypy().get("overrides", [])
    assert isinstance(overrides, list)
    for override in overrides:
        modules = override["module"]
        modules = {modules} if isinstance(modules, str) else set(modules)
        assert modules <= UNTYPED_THIRD_PARTY, modules
        assert set(override) == {"module", "ignore_missing_imports"}, override
    for package in STRICT_PACKAGES:
        assert (ROOT / "officer_app" / package).is_dir(), package


def test_the_test_command_runs_mypy_before_pytest() -> None:
    script = (ROOT / "tools" / "test.sh").read_text(encoding="utf-8")
    lines = [line.strip() for line in script.splitlines() if not line.lstrip().startswith("#")]
    mypy = next(i for i, line in enumerate(lines) if re.fullmatch(r"\.venv/bin/mypy", line))
    pytest_run = next(i for i, line in enumerate(lines) if "-m pytest" in line)
    assert "set -euo pipefail" in lines  # a mypy error stops the run
    assert mypy < pytest_run


def test_mypy_and_the_stubs_are_test_dependencies() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    test_extra = config["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0] for req in test_extra}
    assert {"mypy", "types-reportlab", "types-shapely", "types-openpyxl"} <= names
    mypy_req = next(req for req in test_extra if req.startswith("mypy"))
    assert "<" in mypy_req  # pinned: a new typeshed must not break CI on unchanged code
