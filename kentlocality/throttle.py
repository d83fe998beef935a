"""A count of attempts in the shared cache, for forms that send email to whoever asks
(the password reset form): more than ``limit`` in ``window`` seconds are refused.

With Redis down the cache forgets (kentlocality/cache.py), and attempts are let through:
a password reset must not stop working because the cache did."""

from __future__ import annotations

from django.core.cache import cache


def throttle_allows(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; False once there have been more than ``limit``
    in the ``window`` seconds since the first."""
    key = f"throttle:{key}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first again
        cache.set(key, 1, timeout=window)
        return True
    return count <= limit
