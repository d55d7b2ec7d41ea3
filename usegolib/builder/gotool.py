"""Running the go command for a build: one environment, clear errors, and
bounded retries when the network fails transiently."""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    from ..artifact import Platform
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

    def traced(self, args: Sequence[str], *, cwd: Path, read: Callable[[str], None], **env: str) -> bool:
        """Run `go args...` in cwd, passing each line of its -x trace (the
        commands it runs) to read as it comes; its output is dropped. False
        when it failed: run() again says why without the trace."""
        command = [self.toolchain.go, args[0], "-x", *args[1:]]
        return self._streamed(command, cwd, env, read, subprocess.DEVNULL) == 0

    def module_cache(self) -> Path:
        """Where go keeps downloaded modules (GOMODCACHE)."""
        return Path(self.run(["env", "GOMODCACHE"], cwd=Path.cwd(), what="finding the module cache").strip())

    def stale_count(self, patterns: Sequence[str], flags: Sequence[str], *, cwd: Path, **env: str) -> int:
        """How many packages of patterns and their dependencies Go would
        compile (not in its build cache), with these build flags; 0 when
        go cannot tell."""
        template = "{{if .Stale}}x{{end}}"
        done = self._captured([self.toolchain.go, "list", "-e", "-deps", *flags, "-f", template, *patterns], cwd, env)
        return done.stdout.count("x") if done.returncode == 0 else 0

    def _captured(
        self,
        command: Sequence[str],
        cwd: Path,
        env: dict[str, str],
        watch: Callable[[str], None] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run command in cwd with the build's environment (and env), its
        output captured as text; watch, when given, sees each line of its
        stderr as it comes (go's "downloading" lines)."""
        if watch is None:
            return subprocess.run(
                command,
                cwd=cwd,
                env=self.env(**env),
                capture_output=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
        stderr: list[str] = []

        def keep(line: str) -> None:
            stderr.append(line)
            watch(line)

        # stdout goes to a file so that a large output cannot fill its pipe
        # while stderr is read line by line.
        with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as stdout:
            returncode = self._streamed(command, cwd, env, keep, stdout)
            stdout.seek(0)
            return subprocess.CompletedProcess(command, returncode, stdout.read(), "".join(stderr))

    def _streamed(
        self, command: Sequence[str], cwd: Path, env: dict[str, str], read: Callable[[str], None], stdout: Any
    ) -> int:
        """Run command in cwd with the build's environment (and env), its
        stdout to stdout, passing each line of its stderr to read as it
        comes; return its exit status."""
        with subprocess.Popen(
            command,
            cwd=cwd,
            env=self.env(**env),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
        ) as process:
            assert process.stderr is not None
            for line in process.stderr:
                read(line)
        return process.returncode

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path,
        what: str,
        network: bool = False,
        program: str | None = None,
        watch: Callable[[str], None] | None = None,
        **env: str,
    ) -> str:
        """Run `go args...` (or `program args...`) in cwd with the build's
        environment and return its output; raise BuildError with the tool's
        own output on failure. network=True retries transient network
        failures a bounded number of times. watch sees each line of its
        stderr as it comes."""
        attempts = NETWORK_ATTEMPTS if network and not self.offline else 1
        for attempt in range(1, attempts + 1):
            try:
                done = self._captured([program or self.toolchain.go, *args], cwd, env, watch)
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
