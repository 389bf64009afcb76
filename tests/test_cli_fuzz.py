"""Issue 16, item 3: every command x every class of bad input ends in one Chinese line on stderr
and its exit code (2 usage, 1 failed), never a traceback, 内部错误, a logging traceback or a hang.

The cases and the runner live in tests/cli_fuzz.py (run it as a script to count failures on any
checkout: ``python tests/cli_fuzz.py --code /path/to/old/checkout``).  All cases run once, in a
session fixture (workers call ``main`` in-process; cases that could hang run as their own process
with a timeout), and each case is then its own test.
"""

from __future__ import annotations

import pytest

from tests import cli_fuzz


@pytest.fixture(scope="session")
def fuzz_results() -> dict[str, cli_fuzz.Result]:
    return {r.id: r for r in cli_fuzz.run_fuzz(timeout=10)}


def test_every_command_is_fuzzed() -> None:
    """A new command must be added to the fuzz (or this list of commands without arguments to
    spoil): the case table names every leaf of the parser."""
    from officer_app.cli import build_parser

    leaves = set()

    def walk(parser: object, prefix: list[str]) -> None:
        import argparse

        assert isinstance(parser, argparse.ArgumentParser)
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            leaves.add("-".join(prefix))
        for sub in subs:
            for name, child in sub.choices.items():
                walk(child, [*prefix, name])

    walk(build_parser(), [])
    fuzzed = {case_id.split("/")[0] for case_id in cli_fuzz.case_ids()}
    assert leaves - fuzzed == set()


@pytest.mark.parametrize("case_id", cli_fuzz.case_ids())
def test_bad_input(case_id: str, fuzz_results: dict[str, cli_fuzz.Result]) -> None:
    result = fuzz_results[case_id]
    assert not result.failures, (
        f"{case_id}: {', '.join(result.failures)}\n"
        f"exit {result.rc}\nstderr: {result.stderr[:1500]}\n{result.traceback[-1500:]}"
    )
