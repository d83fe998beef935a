from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _closures_changed(**kwargs) -> None:
    from .workdays import clear_closure_cache

    clear_closure_cache()


class KentlocalityConfig(AppConfig):
    name = "kentlocality"
    verbose_name = "Service settings and calendar"

    def ready(self) -> None:
        from .models import ClosureDay

        post_save.connect(_closures_changed, sender=ClosureDay, dispatch_uid="closure_saved")
        post_delete.connect(_closures_changed, sender=ClosureDay, dispatch_uid="closure_deleted")
