"""The Go shim reaches users through the wheel, not only a source checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from usegolib import __version__

from .conftest import FIXTURES, run_python

ROOT = Path(__file__).parent.parent


def test_the_wheel_ships_the_shim_and_builds_with_it(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("usegolib-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for shipped in (
            "usegolib/_go_shim/go.mod",
            "usegolib/_go_shim/gen/templates/bridge.go.tmpl",
            "usegolib/_go_shim/rt/abi.go",
            "usegolib/_go_shim/cmd/usegolib-gen/main.go",
        ):
            assert shipped in names
        # Lean: no Go tests, no fuzz corpora, no bytecode (issue 17).
        assert not [n for n in names if n.endswith("_test.go") or "/testdata/" in n or "__pycache__" in n]
        assert sum(info.file_size for info in archive.infolist()) < 2_000_000
        # Licensed: the notice in the metadata and beside the shim's sources.
        assert {"usegolib-" + __version__ + ".dist-info/licenses/LICENSE", "usegolib/_go_shim/LICENSE"} <= names
        metadata = archive.read(f"usegolib-{__version__}.dist-info/METADATA").decode()
        assert "License-Expression: MIT" in metadata.splitlines()
        archive.extractall(tmp_path / "site")
    # Build with the unpacked wheel alone on the path: no go_shim/ beside it.
    out = tmp_path / "out"
    result = run_python(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path / "site")!r})
        import usegolib.builder, usegolib.builder.shim
        shim = usegolib.builder.shim.shim_dir()
        assert shim.replace("\\\\", "/").split("/")[-2:] == ["usegolib", "_go_shim"], shim
        usegolib.builder.build_module({str(FIXTURES / "quickstart")!r}, {str(out)!r})
        print(usegolib.import_("example.com/mod", artifact_dir={str(out)!r}).AddInt(40, 2))
    """,
        GOPROXY="off",
    )
    assert result.stdout.strip() == "42", result.stderr


def test_the_shim_carries_the_project_license():
    """go_shim/LICENSE travels with the shim into every library's notices;
    it must say what the project's LICENSE says."""
    assert (ROOT / "go_shim" / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
