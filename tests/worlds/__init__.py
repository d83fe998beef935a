"""The one place test worlds are built.

Factories (each app's ``tests/factories.py``) make initial states only: places, people and
their roles, budgets, a complete draft. Every later state is reached through the real
services, by the named steps of ``steps.py``. The worlds here are built of those steps:

- ``cos.py``: one Community of Schools with its chair, a school and its SENCO;
- ``world.py``: one school, CoS and area with people inside and outside them (the
  ``world`` fixture of the permission matrix, hostile input, audit and backup tests);
- ``quarter.py``: a quarter's work in the North area, dated day by day, with the figures
  a report must show worked out by hand.
"""
