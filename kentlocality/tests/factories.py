"""The working-day calendar's own data in its initial state."""

import factory

from kentlocality.models import ClosureDay


class ClosureDayFactory(factory.django.DjangoModelFactory):
    """A day an administrator closes the council's offices: name the ``date``."""

    class Meta:
        model = ClosureDay

    description = "Council closure"
