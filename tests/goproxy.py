"""A hermetic Go module proxy for remote-module tests: the directories under
tests/fixtures/proxy/<module>@<version>/ are served in the GOPROXY protocol,
as files (GOPROXY=file://...) or over HTTP with injectable failures."""

from __future__ import annotations

import http.server
import json
import threading
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from usegolib.artifact import escape_module_path

PROXY_FIXTURES = Path(__file__).parent / "fixtures" / "proxy"


def module_versions() -> dict[str, list[str]]:
    """module path -> versions, from the fixture directory names."""
    found: dict[str, list[str]] = defaultdict(list)
    for go_mod in PROXY_FIXTURES.rglob("go.mod"):
        module, _, version = go_mod.parent.relative_to(PROXY_FIXTURES).as_posix().partition("@")
        found[module].append(version)
    return {module: sorted(versions) for module, versions in found.items()}


def write_proxy(target: Path) -> Path:
    """Lay out every fixture module version as a module proxy directory."""
    for module, versions in module_versions().items():
        base = target / escape_module_path(module) / "@v"
        base.mkdir(parents=True)
        (base / "list").write_text("".join(f"{v}\n" for v in versions))
        for version in versions:
            source = PROXY_FIXTURES / f"{module}@{version}"
            (base / f"{version}.info").write_text(json.dumps({"Version": version, "Time": "2024-01-01T00:00:00Z"}))
            (base / f"{version}.mod").write_bytes((source / "go.mod").read_bytes())
            with zipfile.ZipFile(base / f"{version}.zip", "w") as archive:
                for path in sorted(source.rglob("*")):
                    if path.is_file():
                        archive.write(path, f"{module}@{version}/{path.relative_to(source).as_posix()}")
    return target


def proxy_env(proxy_url: str, modcache: Path) -> dict[str, str]:
    """Environment that makes go use only this proxy, with its own module
    cache (fixture versions must not mix with the user's cache) and no
    checksum database for the fixture modules."""
    return {
        "GOPROXY": proxy_url,
        "GONOSUMDB": "example.com",
        "GOMODCACHE": str(modcache),
        "GOFLAGS": "-modcacherw",
    }


class Stall:
    """Requests ending in suffix wait until release(); requested is set
    when the first one arrives."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        self.requested = threading.Event()
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    def hold(self, path: str) -> None:
        if path.endswith(self.suffix):
            self.requested.set()
            self._released.wait(60)


class _Handler(http.server.SimpleHTTPRequestHandler):
    failures: dict[str, int]  # path suffix -> how many requests still fail
    stall: Stall | None = None

    def do_GET(self) -> None:
        if self.stall is not None:
            self.stall.hold(self.path)
        for suffix, remaining in self.failures.items():
            if self.path.endswith(suffix) and remaining > 0:
                self.failures[suffix] = remaining - 1
                self.send_error(503, "injected failure")
                return
        super().do_GET()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def http_proxy(directory: Path, failures: dict[str, int], stall: Stall | None = None) -> Iterator[str]:
    """Serve directory over HTTP; requests ending in a suffix of failures
    get that many 503 answers first; those of stall wait for it."""
    handler = type("Handler", (_Handler,), {"failures": dict(failures), "stall": stall})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
