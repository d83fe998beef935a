from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _closure_saved(sender, instance, created: bool, **kwargs) -> None:
    from .services.handoffs import handoff_deadlines_follow_closure

    handoff_deadlines_follow_closure(
        day=instance.date, description=instance.description, added=True
    )


def _closure_deleted(sender, instance, **kwargs) -> None:
    from .services.handoffs import handoff_deadlines_follow_closure

    handoff_deadlines_follow_closure(
        day=instance.date, description=instance.description, added=False
    )


def _advances_changed(sender, instance, **kwargs) -> None:
    from .services.handoffs import payment_dates_follow_advances

    payment_dates_follow_advances()


class RequestsConfig(AppConfig):
    # This folder is named "requests" like the PyPI library it shadows inside the project;
    # tests/test_layout.py guards that no installed distribution needs that library.
    name = "requests"
    label = "requests"
    verbose_name = "Requests for Resource and meetings"

    def ready(self) -> None:
        # Closure days live in kentlocality, which cannot know of requests (the layers run
        # one way): this app listens for them, as the higher app must. Saved or deleted in
        # the admin, the shell or an import, open deadlines follow.
        from kentlocality.models import ClosureDay

        post_save.connect(_closure_saved, sender=ClosureDay, dispatch_uid="closure_deadlines")
        post_delete.connect(
            _closure_deleted, sender=ClosureDay, dispatch_uid="closure_deadlines_deleted"
        )
        # The schools' advance calendar lives in the ledger (budgets), likewise: saved or
        # deleted, the payments through the advance not yet made follow it.
        from budgets.models import SchoolsAdvance

        post_save.connect(_advances_changed, sender=SchoolsAdvance, dispatch_uid="advance_dates")
        post_delete.connect(
            _advances_changed, sender=SchoolsAdvance, dispatch_uid="advance_dates_deleted"
        )
