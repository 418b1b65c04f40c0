"""One rate limiter for the pages open without an account (the public complaint form, the
evaluation links, later the survey links): so many writes per client address and window.

The count lives in Django's cache and is kept atomically: `cache.add` opens the window (it
writes only if the key is absent) and `cache.incr` counts (one atomic operation in Redis and,
within one process, in the local-memory cache). The window starts at the first counted
request and is not pushed back by the next ones, so an address that was refused may write
again once the window it opened has passed. A get-then-set would let two simultaneous
requests read the same count and both pass.

Only requests that write (POST, PUT, PATCH, DELETE) are counted and refused: reading a form
or a link is free, so a person is never refused the page that tells them what happened.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent the request, as far as it can be trusted.

    Without a proxy it is the socket's address (REMOTE_ADDR). Behind the trusted reverse proxy
    (`BEHIND_HTTPS_PROXY`), REMOTE_ADDR is the proxy itself, and the client is named in
    X-Forwarded-For. That header is a list that each proxy extends on the right with the
    address it received the request from; whatever is on its left came from the client and may
    be forged (anyone can send "X-Forwarded-For: 1.2.3.4"). So the only entry to believe is the
    right-most one, the one our own proxy added. (With several trusted proxies in a chain one
    would skip as many entries from the right; Amelio is deployed behind one.) When the header
    is missing or its last entry is not an address, the proxy is misconfigured: fall back to
    REMOTE_ADDR rather than believe anything else.

    django-axes reads the address through this function too (AXES_CLIENT_IP_CALLABLE), so
    login throttling and these limits see the same client.
    """
    if getattr(settings, "BEHIND_HTTPS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last and _is_address(last):
            return last
    return request.META.get("REMOTE_ADDR") or None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _bucket(address: str | None) -> str:
    """What is counted for an address. An IPv6 subscriber is usually given a whole /64 and may
    pick any address in it, so counting each address would multiply the limit by 2**64: the
    /64 network is counted as one client."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # "::ffff:192.0.2.1" is the IPv4 client 192.0.2.1
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@dataclass(frozen=True)
class RateLimit:
    """At most `limit` writes per client address within `window` seconds; `prefix` names the
    counter in the cache (one per kind of page, e.g. "public-complaint")."""

    prefix: str
    limit: int
    window: int  # seconds

    def key(self, request: HttpRequest) -> str:
        return f"ratelimit:{self.prefix}:{_bucket(client_address(request))}"


def _count(key: str, window: int) -> int:
    """Count one more request under `key`; the number of requests in the current window."""
    for _attempt in range(3):
        cache.add(key, 0, timeout=window)  # opens the window; does nothing when it is open
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between the two calls: open the next one
            continue
        if count == 1:
            # The first of its window. Redis's INCR recreates a key that expired just before it
            # without any expiry; setting it again here keeps such a counter from living forever.
            cache.touch(key, timeout=window)
        return count
    return 1  # the cache keeps losing the key (it is full or down): do not refuse for it


def limit_reached(request: HttpRequest, rate: RateLimit) -> bool:
    """Whether this request goes beyond `rate` and must be refused. A request that writes is
    counted (refused ones too, so that hammering does not pay); a request that reads is
    neither counted nor refused."""
    if request.method not in WRITE_METHODS:
        return False
    return _count(rate.key(request), rate.window) > rate.limit


def too_many_requests(response: HttpResponse, rate: RateLimit) -> HttpResponse:
    """`response` as the answer to a refused write: 429, with the longest the client may have
    to wait (the window; it may have opened earlier)."""
    response.status_code = 429
    response["Retry-After"] = str(rate.window)
    return response


ViewFunction = Callable[..., HttpResponseBase]


def rate_limited(rate: RateLimit, *, refused: Callable[..., HttpResponse]) -> Callable[[ViewFunction], ViewFunction]:
    """Decorator of a view function: a write beyond `rate` is answered by `refused(request,
    *args, **kwargs)` with status 429 instead of reaching the view."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if limit_reached(request, rate):
                return too_many_requests(refused(request, *args, **kwargs), rate)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RateLimitMixin:
    """For class-based views: set `rate_limit`; a write beyond the limit gets the page of
    `rate_limit_refused` (with status 429): by default the common 429 page, which a view may
    replace with its own (the public forms show their form with the refusal)."""

    rate_limit: RateLimit

    def rate_limit_refused(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "429.html", {"minutes": max(1, self.rate_limit.window // 60)})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if limit_reached(request, self.rate_limit):
            return too_many_requests(self.rate_limit_refused(request, *args, **kwargs), self.rate_limit)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
