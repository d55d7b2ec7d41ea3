"""Running the go command for a build: one environment, clear errors, and
bounded retries when the network fails transiently."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..artifact import Platform
from ..errors import BuildError
from .toolchain import Toolchain

# Go's messages for failures worth another attempt: the network, not the
# request, was at fault.
_TRANSIENT = re.compile(
    r"i/o timeout|TLS handshake timeout|timed out|connection (reset|refused)|temporary failure in name resolution|"
    r"unexpected EOF|network is unreachable|no route to host|: (429|500|502|503|504) [A-Z]|too many requests",
    re.IGNORECASE,
)
NETWORK_ATTEMPTS = 3


@dataclass(frozen=True)
class GoTool:
    toolchain: Toolchain
    plat: Platform
    offline: bool = False
    log: Callable[[str], None] = print

    def env(self, **extra: str) -> dict[str, str]:
        env = self.toolchain.env(self.plat)
        if self.offline:
            env["GOPROXY"] = "off"
        env.update(extra)
        return env

    def warm(self, args: Sequence[str], *, cwd: Path) -> None:
        """Run `go args...` in cwd for what it leaves in Go's build cache:
        its output is dropped, and a failure is left to the step that needs
        the result to report."""
        subprocess.run(
            [self.toolchain.go, *args],
            cwd=cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path,
        what: str,
        network: bool = False,
        program: str | None = None,
        **env: str,
    ) -> str:
        """Run `go args...` (or `program args...`) in cwd with the build's
        environment and return its output; raise BuildError with the tool's
        own output on failure. network=True retries transient network
        failures a bounded number of times."""
        attempts = NETWORK_ATTEMPTS if network and not self.offline else 1
        for attempt in range(1, attempts + 1):
            try:
                done = subprocess.run(
                    [program or self.toolchain.go, *args],
                    cwd=cwd,
                    env=self.env(**env),
                    capture_output=True,
                    encoding="utf-8",
                    errors="replace",
                    check=False,
                )
            except OSError as exc:
                raise BuildError(f"{what}: cannot run {program or self.toolchain.go}: {exc}") from exc
            if done.returncode == 0:
                return done.stdout
            output = "\n".join(part for part in (done.stdout.strip(), done.stderr.strip()) if part)
            if attempt < attempts and _TRANSIENT.search(output):
                delay = 2 ** (attempt - 1)
                self.log(f"{what}: network failure, retrying in {delay}s ({attempt}/{attempts - 1})")
                time.sleep(delay)
                continue
            raise BuildError(f"{what} failed:\n{output}")
        raise AssertionError("unreachable")
