"""Dependencies run one way (DESIGN §2), checked by import-linter against the contracts in
pyproject.toml. ``make lint`` checks all of them; the suite holds the ones already kept,
so that it fails the day one breaks."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_ledger_never_imports_requests_or_reporting():
    """budgets holds its own reference to an award (an allocation's school and request
    reference); the request lifecycle calls the ledger, never the other way."""
    kept = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"),
        limit_to_contracts=("ledger",),
        no_cache=True,
        no_logo=True,
    )
    assert kept == 0
