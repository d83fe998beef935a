"""Emptying the test database after a module's fixture has committed the demo for real
(``django_db_blocker.unblock()``): a flush, then the rows the migrations make put back,
so that the tests after it find the database as they would have."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.management import call_command

from communities.geography import ensure_geography
from communities.models import Area, District
from tests.test_admin_accessible import GROUP_MIGRATIONS


def empty_as_migrated() -> None:
    """Flush, then Kent's areas and districts and the KCC groups with their permissions
    (without them a KCC administrator gets 403 on the board's pages and the imports)."""
    call_command("flush", "--noinput")
    ensure_geography(Area, District)
    modules = {config.label: config.models_module for config in apps.get_app_configs()}
    try:
        for module, function in GROUP_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)
    finally:
        for config in apps.get_app_configs():
            config.models_module = modules[config.label]
