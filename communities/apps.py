from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _role_changed(sender, instance, **kwargs) -> None:
    from .services import access_sync

    access_sync(instance.user)


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Communities, schools and people"

    def ready(self) -> None:
        from .models import RoleAssignment

        # A person's groups and staff status follow their KCC roles, however a role is
        # given or taken away (services.access_sync).
        post_save.connect(_role_changed, sender=RoleAssignment, dispatch_uid="role_access")
        post_delete.connect(_role_changed, sender=RoleAssignment, dispatch_uid="role_access_del")
