"""The private storage (``STORAGES["private"]``: a folder, or S3 when configured), as an
object that model fields can hold.

A FileField evaluates its storage once, when the model class is made. Holding this lazy
object instead, the fields find ``storages["private"]`` when first used, and again after
``STORAGES`` changes (a test pointing private storage at an S3-compatible server), as
Django's own ``default_storage`` does. Nothing else about the storage changes.
"""

from __future__ import annotations

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty
