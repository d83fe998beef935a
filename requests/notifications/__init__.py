"""Notifications: everyone hears when it is their turn (DESIGN §4).

``events``: the one call each service makes when something happens (who is told, what
they are told), writing a notification per event and person in the change's transaction.
``delivery`` and ``tasks``: the emails (at once, the daily summary at 8:00, the officers'
payments due), the sweep and the 12 months they are kept. ``calendar``: meeting
invitations. ``views``, ``selectors``, ``services``, ``forms``: the person's page and
preferences. ``recipients``: who holds a role at a place.
"""
