"""A small per-user rate limiter over Django's cache, for endpoints whose work is heavy enough to be a lever.

Fixed windows: at most `limit` calls per `window` seconds per (scope, user). With the default per-process cache
each worker counts on its own, so a deployment with several workers admits up to workers × limit; set
DXPOOL_CACHE_URL to a shared cache (e.g. the database cache) to make the limit exact (README, Production).
"""

import time

from django.core.cache import cache

from dxpool.core.errors import RateLimited


def rate_limit(*, scope: str, user_id: int, limit: int, window: int = 60) -> None:
    """Count one call of `scope` by the user; raise RateLimited (429, with Retry-After) past `limit` a window."""
    now = time.time()
    start = int(now // window) * window
    key = f"dxpool:ratelimit:{scope}:{user_id}:{start}"
    # add() is atomic where the cache backend is: the first call of a window creates the counter.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr(): this call opens the next window
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        retry_after = max(1, int(start + window - now + 0.999))
        raise RateLimited(f"短時間に多くの要求がありました。{retry_after}秒後にもう一度お試しください。",
                          retry_after=retry_after)
