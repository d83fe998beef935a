"""Django's Redis cache, made to degrade rather than fail: when Redis is down, reads miss
and writes are dropped (with a warning), so pages still render. Sessions are stored in
PostgreSQL behind this cache (cached_db), so nobody is signed out."""

from __future__ import annotations

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _tolerant(name: str, default=None):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except RedisError as exc:
            logger.warning("cache %s failed (%s): carrying on without the cache", name, exc)
            return default() if callable(default) else default

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    get = _tolerant("get")
    set = _tolerant("set")
    add = _tolerant("add", False)
    delete = _tolerant("delete", False)
    touch = _tolerant("touch", False)
    has_key = _tolerant("has_key", False)
    get_many = _tolerant("get_many", dict)
    set_many = _tolerant("set_many", list)
    delete_many = _tolerant("delete_many")
    incr = _tolerant("incr", 0)
    clear = _tolerant("clear")
