from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_delete, post_save


def _closures_changed(**kwargs) -> None:
    from .workdays import clear_closure_cache

    clear_closure_cache()


class KentlocalityConfig(AppConfig):
    name = "kentlocality"
    verbose_name = "Service settings and calendar"

    def ready(self) -> None:
        from . import sessions  # noqa: F401 (connects what is said after signing in again)
        from .models import ClosureDay

        post_save.connect(_closures_changed, sender=ClosureDay, dispatch_uid="closure_saved")
        post_delete.connect(_closures_changed, sender=ClosureDay, dispatch_uid="closure_deleted")


class KentAdminConfig(admin_apps.AdminConfig):
    """The Django admin with our site (kentlocality.admin_site.KentAdminSite): its choices in
    searchable drop-downs say which school, CoS or area each is. Named in INSTALLED_APPS
    instead of django.contrib.admin; not this module's default app config."""

    default = False
    default_site = "kentlocality.admin_site.KentAdminSite"
