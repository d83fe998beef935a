"""The project's fixed layout, and the guard for our requests/ app shadowing PyPI's
"requests" library."""

import re
from importlib.metadata import distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent

FIXED = [
    "manage.py",
    "kentlocality",
    "requests",
    "communities",
    "budgets",
    "reporting",
    "demo",
    "templates",
    "static",
    "tests",
    "docker-compose.yml",
    "pyproject.toml",
    "README.md",
    "Makefile",
    "package.json",
    "package-lock.json",
    "Dockerfile",
    ".env.example",
    ".ci/run",
    "kentlocality/settings/base.py",
    "kentlocality/settings/test.py",
    "kentlocality/settings/production.py",
    "kentlocality/celery.py",
    "kentlocality/workdays.py",
]


def test_fixed_layout_is_in_place():
    missing = [name for name in FIXED if not (ROOT / name).exists()]
    assert missing == []


def test_no_installed_distribution_requires_the_pypi_requests_library():
    """Our requests/ app shadows PyPI's "requests" inside the project. A dependency that
    needs that library would import our app instead and break at run time; this fails the
    day one is added. Optional extras that are not installed do not count."""
    needing = []
    for dist in distributions():
        for spec in dist.requires or []:
            requirement = Requirement(spec)
            if requirement.name.lower() != "requests":
                continue
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            needing.append(f"{dist.metadata['Name']} requires {spec}")
    assert needing == []


def test_importing_requests_gives_our_app():
    import requests

    assert Path(requests.__file__).resolve().parent == ROOT / "requests"


def test_no_compiled_third_party_assets_are_committed():
    ignored = (ROOT / ".gitignore").read_text()
    assert re.search(r"^static/css/$", ignored, re.M)
    assert re.search(r"^static/govuk/$", ignored, re.M)
