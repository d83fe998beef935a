"""Dependencies run one way (DESIGN §2) and no product module imports test code, checked
by import-linter against the contracts in pyproject.toml (``make lint`` runs them too):
the suite fails the day an import breaks one."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_apps_depend_one_way_and_never_on_test_code():
    # In its own process: import-linter configures logging for the whole process (it
    # would silence every logger already made, the service's included).
    done = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout
