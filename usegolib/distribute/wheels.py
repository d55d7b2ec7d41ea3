"""Wheels of a generated project, one per platform, built by hatchling
through the project's own hook (hatch_build.py) so that `pip wheel` and
`usegolib package --wheel` make the same files."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import BuildError, ToolchainNotFoundError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .platforms import Target

# Wheel entries carry this time (2020-02-02) unless SOURCE_DATE_EPOCH says
# otherwise, so that wheels of the same inputs are byte-identical.
DEFAULT_SOURCE_DATE_EPOCH = "1580601600"


def build_wheels(project: Path, targets: list[Target], dist: Path) -> list[Path]:
    """Build a wheel of project for each target into dist; return them."""
    _require_hatchling()
    # Absolute: hatchling runs in the project directory, where a relative
    # --out would name another place.
    dist = dist.absolute()
    dist.mkdir(parents=True, exist_ok=True)
    return [_build_wheel(project, target, dist) for target in targets]


def _build_wheel(project: Path, target: Target, dist: Path) -> Path:
    env = {
        **os.environ,
        "USEGOLIB_WHEEL_PLATFORM": target.platform.tag,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_SOURCE_DATE_EPOCH),
    }
    with tempfile.TemporaryDirectory(dir=dist, prefix=".wheel-") as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", tmp],
            cwd=project,
            env=env,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
        if done.returncode != 0:
            raise BuildError(f"building the {target.platform.tag} wheel failed:\n{done.stdout}\n{done.stderr}".strip())
        (wheel,) = Path(tmp).glob("*.whl")
        final = dist / wheel.name
        os.replace(wheel, final)
    return final


def _require_hatchling() -> None:
    if importlib.util.find_spec("hatchling") is None:
        raise ToolchainNotFoundError("building wheels needs hatchling: python -m pip install 'usegolib[build]'")
