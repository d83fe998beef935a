"""Reads that are more than one filter, one module per sub-domain: requests and their
timeline (``lifecycle``), meetings and the chair's queue (``meetings``), and the HNF
Monitoring Officer's hand-offs and payments (``officer``)."""
