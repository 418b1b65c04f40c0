"""Puts the demo school under load, page by page, beside a bare view, in one run.

    .venv/bin/python bench/load.py [--database PATH] [--workers 3] [--concurrency 50]
                                   [--requests 400] [--page URL ...] [--user EMAIL]

Builds the demo school into a temporary SQLite file (or uses `--database`, a copy of which
is served so the original is not touched), starts gunicorn on it with `--workers` processes,
signs in as `--user` (the quality manager by default), then, for the health view (`/health/`,
the bare view: the same middleware, one `SELECT 1`, no template) and each page, sends
`--requests` requests from `--concurrency` clients at once over kept-alive connections.
Prints, per page: requests per second, median and 95th-percentile latency in milliseconds,
the ratio of its requests per second to the bare view's, and any answer other than 200.

The clients run in this process (threads), on the same machine as the server: the figures
compare pages with one another and with the bare view, not with another machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_PAGES = [
    "/",
    "/improvement/",
    "/improvement/board/",
    "/improvement/my-work/",
    "/internships/",
    "/partners/companies/",
    "/processes/map/",
    "/history/",
    "/indicators/",
    "/risks/",
    "/documents/",
]
DEMO_PASSWORD = "amelio-demo-2026"


@dataclass
class Result:
    page: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="", help="a demo SQLite file to copy (default: build one)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--concurrency", type=int, default=50, help="clients at once (default 50)")
    parser.add_argument("--requests", type=int, default=400, help="requests per page (default 400)")
    parser.add_argument("--page", action="append", default=[], help="a page to load (repeatable)")
    parser.add_argument("--user", default="qualite@amelio-demo.fr", help="who signs in")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_manage(environment: dict[str, str], *arguments: str) -> None:
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


def prepare_database(workdir: Path, source: str, environment: dict[str, str]) -> None:
    target = workdir / "load.sqlite3"
    environment["DATABASE_URL"] = f"sqlite:///{target}"
    if source:
        shutil.copyfile(source, target)
        return
    print("Building the demo school (about a minute)...", flush=True)
    run_manage(environment, "migrate", "--noinput", "-v", "0")
    run_manage(environment, "load_demo")


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within a minute")


def sign_in(port: int, email: str) -> str:
    """The Cookie header of a signed-in session (CSRF token and session id)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("No CSRF token on the login page")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "username": email, "password": DEMO_PASSWORD})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    if "sessionid" not in cookies:
        raise SystemExit(f"Signing in as {email} failed (status {response.status})")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def load(port: int, page: str, cookie: str, *, requests: int, concurrency: int) -> Result:
    result = Result(page)
    lock = threading.Lock()
    remaining = [requests]

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                connection.request("GET", page, headers={"Cookie": cookie, "Accept-Language": "fr"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status = 0
            latency = time.perf_counter() - started
            with lock:
                result.latencies.append(latency)
                result.statuses[status] = result.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


def main() -> None:
    arguments = parse_arguments()
    pages = arguments.page or DEFAULT_PAGES
    workdir = Path(tempfile.mkdtemp(prefix="amelio-load-"))
    # No worker runs beside the measured server: /health/ is not to wait for its heartbeat.
    environment = {
        **os.environ,
        "HUEY_FILE": str(workdir / "huey.sqlite3"),
        "DEBUG": "off",
        "WORKER_HEARTBEAT_MAX_AGE": "0",
    }
    server = None
    try:
        prepare_database(workdir, arguments.database, environment)
        run_manage(environment, "collectstatic", "--noinput", "-v", "0")
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(arguments.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=environment,
        )
        wait_until_up(port, server)
        cookie = sign_in(port, arguments.user)
        print(
            f"gunicorn {arguments.workers} workers, {arguments.concurrency} clients at once, "
            f"{arguments.requests} requests per page, signed in as {arguments.user}\n"
        )
        print(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'÷ bare':>7}  answers")
        bare = None
        for page in ["/health/", *pages]:
            for _ in range(2):  # warm each worker's caches and connections first
                load(port, page, cookie, requests=arguments.workers * 2, concurrency=arguments.workers)
            result = load(port, page, cookie, requests=arguments.requests, concurrency=arguments.concurrency)
            bare = bare or result.per_second
            answers = ", ".join(f"{status}×{count}" for status, count in sorted(result.statuses.items()))
            label = "bare view (/health/)" if page == "/health/" else page
            print(
                f"{label:32} {result.per_second:8.1f} {result.percentile(0.5):8.0f} "
                f"{result.percentile(0.95):8.0f} {result.per_second / bare:7.2f}  {answers}",
                flush=True,
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
