"""The rate limiter of the pages open without an account (amelio/core/ratelimit.py): it counts
writes only, in a window that opens with the first one, per client address — the forwarded
one behind the trusted proxy."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.views import View

from amelio.core.ratelimit import RateLimit, RateLimitMixin, client_address, limit_reached, rate_limited

RATE = RateLimit(prefix="test", limit=3, window=3600)
LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit-test"}}


@pytest.fixture(params=["local memory", "redis"])
def any_cache(request: pytest.FixtureRequest, settings: Any) -> Iterator[str]:
    """The tests' own local memory (conftest.py), and Redis as in production when REDIS_URL
    is set (as in CI), under a prefix of this test's own so that other runs do not interfere."""
    if request.param == "redis":
        if not os.environ.get("REDIS_URL"):
            # A machine without Redis runs the suite on local memory alone; CI, which runs
            # the production cache, must not lose these runs silently.
            if os.environ.get("CI"):
                pytest.fail("CI runs the rate limiter on Redis: set REDIS_URL (.ci/run does).")
            pytest.skip("REDIS_URL is not set")
        prefix = f"test-{uuid.uuid4().hex}"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": prefix,
            }
        }
        yield request.param
        client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    else:
        yield request.param


def http(method: str = "POST", address: str = "203.0.113.7", forwarded: str | None = None) -> HttpRequest:
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().generic(method, "/somewhere/", **extra)


def test_writes_beyond_the_limit_are_refused(any_cache: str) -> None:
    assert [limit_reached(http(), RATE) for _ in range(5)] == [False, False, False, True, True]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_every_kind_of_write_is_counted(any_cache: str, method: str) -> None:
    for _ in range(3):
        assert not limit_reached(http(method), RATE)
    assert limit_reached(http(method), RATE)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reads_are_never_counted_nor_refused(any_cache: str, method: str) -> None:
    for _ in range(50):
        assert not limit_reached(http(method), RATE)
    # All three writes are still there to be made, and a read is not refused after them.
    assert [limit_reached(http(), RATE) for _ in range(4)] == [False, False, False, True]
    assert not limit_reached(http(method), RATE)


def test_each_address_and_each_prefix_has_its_own_count(any_cache: str) -> None:
    for _ in range(3):
        limit_reached(http(address="203.0.113.7"), RATE)
    assert limit_reached(http(address="203.0.113.7"), RATE)
    assert not limit_reached(http(address="198.51.100.2"), RATE)
    assert not limit_reached(http(address="203.0.113.7"), RateLimit(prefix="other", limit=3, window=3600))


def test_an_ipv6_network_counts_as_one_client() -> None:
    """Anyone given a /64 may pick any of its addresses: a new one for each post is no way around."""
    for host in range(3):
        assert not limit_reached(http(address=f"2001:db8:1:2::{host + 1}"), RATE)
    assert limit_reached(http(address="2001:db8:1:2:ffff::9"), RATE)
    assert not limit_reached(http(address="2001:db8:1:3::1"), RATE)
    # An IPv4 client seen through an IPv6 socket is that IPv4 client.
    for _ in range(3):
        limit_reached(http(address="192.0.2.5"), RATE)
    assert limit_reached(http(address="::ffff:192.0.2.5"), RATE)


def test_the_window_opens_with_the_first_write_and_is_not_pushed_back(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes at 0, 20, 40 and 50 minutes: the fourth is refused; at 61 minutes the window
    opened at 0 is over, whatever was written since, and a new one opens."""
    from django.core.cache.backends import base, locmem

    settings.CACHES = LOCAL_MEMORY  # the cache's clock can be moved only in local memory
    start = time.time()

    def at(minutes: int) -> bool:
        clock = SimpleNamespace(time=lambda: start + minutes * 60)
        monkeypatch.setattr(locmem, "time", clock)  # when entries expire
        monkeypatch.setattr(base, "time", clock)  # when a timeout given now ends
        return limit_reached(http(), RATE)

    assert [at(0), at(20), at(40), at(50)] == [False, False, False, True]
    assert [at(61), at(62), at(63), at(64)] == [False, False, False, True]
    # The refused write at 64 minutes did not move the window either: it ends at 121.
    assert at(122) is False


def test_simultaneous_writes_are_each_counted_once(any_cache: str) -> None:
    """Eight threads writing 25 times each: exactly the limit passes, whatever the interleaving
    (a get-then-set would let several threads read the same count)."""
    rate = RateLimit(prefix="threads", limit=37, window=3600)
    passed: list[bool] = []
    lock = threading.Lock()

    def write() -> None:
        for _ in range(25):
            refused = limit_reached(http(), rate)
            with lock:
                passed.append(not refused)

    threads = [threading.Thread(target=write) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(passed) == 200
    assert passed.count(True) == 37
    assert cache.get(rate.key(http())) == 200


# The client's address ---------------------------------------------------------------


def test_without_the_proxy_setting_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.BEHIND_HTTPS_PROXY = False
    assert client_address(http(address="203.0.113.7", forwarded="198.51.100.2")) == "203.0.113.7"


def test_behind_the_proxy_the_address_it_added_is_the_client(settings: Any) -> None:
    settings.BEHIND_HTTPS_PROXY = True
    assert client_address(http(address="10.0.0.2", forwarded="198.51.100.2")) == "198.51.100.2"
    # What the client wrote itself is on the left, and ignored.
    assert client_address(http(address="10.0.0.2", forwarded="1.2.3.4, 5.6.7.8,198.51.100.2")) == "198.51.100.2"
    assert client_address(http(address="10.0.0.2", forwarded="2001:db8::7")) == "2001:db8::7"


@pytest.mark.parametrize("forwarded", [None, "", "198.51.100.2, not-an-address", "198.51.100.2,"])
def test_behind_the_proxy_an_odd_header_falls_back_to_the_socket(settings: Any, forwarded: str | None) -> None:
    settings.BEHIND_HTTPS_PROXY = True
    assert client_address(http(address="10.0.0.2", forwarded=forwarded)) == "10.0.0.2"


def test_behind_the_proxy_each_forwarded_client_has_its_own_count(settings: Any) -> None:
    """Every request comes from the proxy's address: counting that one would lock everybody out
    together, and a client forging the left of the header must not escape its count."""
    settings.BEHIND_HTTPS_PROXY = True
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        assert not limit_reached(http(address="10.0.0.2", forwarded=f"{forged}, 198.51.100.2"), RATE)
    assert limit_reached(http(address="10.0.0.2", forwarded="4.4.4.4, 198.51.100.2"), RATE)
    assert not limit_reached(http(address="10.0.0.2", forwarded="198.51.100.3"), RATE)


# Views --------------------------------------------------------------------------------


def refused_page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    return HttpResponse("Too many")


@rate_limited(RATE, refused=refused_page)
def function_view(request: HttpRequest, number: int) -> HttpResponse:
    return HttpResponse(f"Done {number}")


class ClassView(RateLimitMixin, View):
    rate_limit = RATE

    def rate_limit_refused(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return HttpResponse(f"Too many for {kwargs['number']}")

    def get(self, request: HttpRequest, number: int) -> HttpResponse:
        return HttpResponse(f"Form {number}")

    def post(self, request: HttpRequest, number: int) -> HttpResponse:
        return HttpResponse(f"Done {number}")


class PlainClassView(RateLimitMixin, View):
    """Names no refusal page of its own: the common 429 page answers."""

    rate_limit = RATE

    def post(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse("Done")


def test_a_view_with_no_refusal_page_of_its_own_answers_the_common_429_page() -> None:
    view = PlainClassView.as_view()
    for _ in range(3):
        assert view(http()).status_code == 200
    refused = view(http())
    assert refused.status_code == 429
    assert "Too many attempts from your address; please try again in 60 minutes." in refused.content.decode()
    assert refused["Retry-After"] == "3600"


@pytest.mark.parametrize("view", [function_view, ClassView.as_view()])
def test_a_limited_view_answers_429_with_its_own_page(view: Any) -> None:
    for _ in range(3):
        assert view(http(), number=7).status_code == 200
    refused = view(http(), number=7)
    assert refused.status_code == 429
    assert refused.content.decode().startswith("Too many")
    assert refused["Retry-After"] == "3600"
    assert view(http("GET"), number=7).status_code == 200
