"""Measure jurisdiction index load time and lookup throughput; prints figures, asserts nothing.

Run: .venv/bin/python benchmarks/jurisdiction.py [--points 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from officer_app.geo.jurisdiction import JurisdictionIndex  # noqa: E402

# Yangtze River Delta box (WGS-84): Anhui's west edge to the sea off Shanghai.
YRD_BBOX = (27.0, 35.2, 114.8, 122.9)  # min lat, max lat, min lon, max lon


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=REPO_ROOT / "resources" / "boundaries")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    index = JurisdictionIndex.load(args.dir)
    load_s = time.perf_counter() - t0
    print(f"load: {load_s:.3f} s for {len(index.districts)} districts")

    rng = random.Random(args.seed)
    min_lat, max_lat, min_lon, max_lon = YRD_BBOX
    points = [
        (rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)) for _ in range(args.points)
    ]
    for datum in ("wgs84", "gcj02"):
        statuses: Counter[str] = Counter()
        t0 = time.perf_counter()
        for lat, lon in points:
            statuses[index.lookup(lat, lon, datum=datum).status] += 1
        elapsed = time.perf_counter() - t0
        print(
            f"lookup ({datum}): {len(points)} random YRD points in {elapsed:.3f} s = "
            f"{len(points) / elapsed:,.0f} lookups/s, {1e6 * elapsed / len(points):.0f} us each; "
            f"{dict(statuses)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
