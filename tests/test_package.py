"""`usegolib package`: a pip-installable project around prebuilt Go
libraries, installed where there is no Go and no Zig, and its wheels."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from packaging.tags import sys_tags

from usegolib.artifact import host_platform
from usegolib.distribute.versions import python_version

from .binaries import describe, pe_imports
from .conftest import FIXTURES, ROOT, run_cli, run_python
from .goproxy import proxy_env, write_proxy

PLATFORMS = {
    "linux/amd64": ("manylinux_2_17_x86_64.manylinux2014_x86_64", ("ELF64 shared object", "x86-64")),
    "linux/arm64": ("manylinux_2_17_aarch64.manylinux2014_aarch64", ("ELF64 shared object", "aarch64")),
    "darwin/amd64": ("macosx_11_0_x86_64", ("Mach-O 64 dylib", "x86-64")),
    "darwin/arm64": ("macosx_11_0_arm64", ("Mach-O 64 dylib", "aarch64")),
    "windows/amd64": ("win_amd64", ("PE32+ DLL", "x86-64")),
}


def package(*args, env=None, cwd=None):
    done = run_cli("package", *args, env={"GOPROXY": "off", **(env or {})}, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="session")
def kitchen_project(kitchen_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("package")
    package(
        "--module", str(FIXTURES / "kitchen"), "--python-package-name", "kitchenpy", "--out", str(out),
        "--root", str(kitchen_root), "--version", "1.2.3",
    )  # fmt: skip
    return out / "kitchenpy"


@pytest.fixture(scope="session")
def installed(kitchen_project, tmp_path_factory):
    """A fresh virtual environment with the generated project installed
    (its dependencies from the index), and neither usegolib, Go nor Zig."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    # The project alone: it needs no usegolib from the index.
    for target in (str(kitchen_project),):
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", target], capture_output=True, text=True, check=False
        )
        if done.returncode != 0 and "Could not" in done.stderr and "connection" in done.stderr.lower():
            pytest.skip(f"PyPI unreachable for installing build dependencies: {done.stderr[-300:]}")
        assert done.returncode == 0, done.stderr
    return python


def run_installed(python, code):
    """Run code with the venv's Python, on a PATH without Go."""
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not shutil.which("go", path=p))
    env = {"PATH": path, "HOME": os.environ.get("HOME", ""), "USEGOLIB_ARTIFACT_DIR": str(python.parent / "no-cache")}
    return subprocess.run(
        [str(python), "-c", textwrap.dedent(code)],
        env=env,
        cwd=python.parent,  # not the checkout, whose usegolib/ `-c` would import
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_project_is_a_standard_one(kitchen_project):
    pyproject = (kitchen_project / "pyproject.toml").read_text()
    assert 'build-backend = "hatchling.build"' in pyproject
    assert 'name = "kitchenpy"' in pyproject and 'version = "1.2.3"' in pyproject
    # The package carries its own copy of the runtime: usegolib need not be
    # on the index its users install from (issue 17).
    (dependencies,) = re.findall(r"^dependencies = (.*)$", pyproject, re.MULTILINE)
    assert "msgpack" in dependencies and "usegolib" not in dependencies
    package_dir = kitchen_project / "kitchenpy"
    assert (package_dir / "_usegolib" / "packaged.py").is_file()
    assert not (package_dir / "_usegolib" / "build").exists() and not (package_dir / "_usegolib" / "_hook").exists()
    assert "from kitchenpy._usegolib import GoObject as " in (package_dir / "__init__.pyi").read_text()
    # The notices of what the library holds: the module links only the
    # standard library and the shim here.
    notices = kitchen_project / "LICENSES"
    assert (notices / "usegolib" / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
    assert (notices / "go" / "LICENSE").is_file() and (notices / "go" / "PATENTS").is_file()
    assert 'license-files = ["LICENSES/go/LICENSE", "LICENSES/go/PATENTS", "LICENSES/usegolib/LICENSE"]' in pyproject
    for stub in ("__init__.pyi", "geo/__init__.pyi", "go_tools/__init__.pyi", "py.typed"):
        assert (package_dir / stub).is_file(), stub
    assert 'bind(globals(), "example.com/kitchen/geo"' in (package_dir / "geo" / "__init__.py").read_text()
    # Made with the umask's permissions, as any directory (not mkdtemp's 0700).
    umask = os.umask(0)
    os.umask(umask)
    assert kitchen_project.stat().st_mode & 0o777 == 0o777 & ~umask
    (platform,) = (kitchen_project / "_platforms").iterdir()
    assert sorted(p.name for p in platform.iterdir())[-2:] == ["manifest.json", "native"]
    # The native crossing, built for the limited APIs this Python has headers of.
    shipped = ["_native_cp310.abi3.so"] + (["_native_cp312.abi3.so"] if sys.version_info >= (3, 12) else [])
    assert sorted(p.name for p in (platform / "native").iterdir()) == shipped


def test_the_installed_package_works_without_go_or_zig(installed):
    done = run_installed(
        installed,
        """
        import dataclasses, importlib.util, shutil
        import kitchenpy
        from kitchenpy._usegolib import GoError
        assert shutil.which("go") is None and importlib.util.find_spec("ziglang") is None
        assert importlib.util.find_spec("usegolib") is None
        print(kitchenpy.AddInt(40, 2))
        point = kitchenpy.EchoPoint(kitchenpy.Point(x=1, y=2))
        print(dataclasses.is_dataclass(point), point.x, point.y)
        counter = kitchenpy.NewCounter("n")
        counter.Add(5)
        print(type(counter).__name__, counter.Value())
        try:
            kitchenpy.Check(False)
        except GoError as exc:
            print("GoError", exc)
        print(kitchenpy.geo.Distance(kitchenpy.Point(x=0, y=0), kitchenpy.Point(x=3, y=4)))
        import kitchenpy.go_tools as tools
        print(tools.Shout("hi"), kitchenpy.Apply(lambda x: x * 3, 5))
        print(kitchenpy.vars.Counted >= 0, kitchenpy.__file__.endswith("kitchenpy/__init__.py"))
        from kitchenpy._usegolib.runtime import native
        print(type(kitchenpy.EchoString).__name__, native.module().__file__.endswith(".abi3.so"))
        """,
    )
    assert done.stdout.splitlines() == [
        "42",
        "True 1 2",
        "Counter 5",
        "GoError check failed",
        "5.0",
        "hi! 15",
        "True True",
        "Function True",  # the native crossing the wheel carries, with no compiler at hand
    ], done.stderr


def test_mypy_checks_code_against_the_installed_stubs(installed, tmp_path):
    script = tmp_path / "use.py"
    script.write_text("import kitchenpy\n\ntotal: int = kitchenpy.AddInt(1, 2)\nkitchenpy.AddInt('one', 2)\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            str(installed),
            str(script),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,  # not the checkout, whose usegolib/ would shadow the installed one
    )
    assert done.returncode == 1, done.stdout
    assert 'Argument 1 to "AddInt" has incompatible type "str"; expected "int"' in done.stdout
    assert done.stdout.count("error:") == 1, done.stdout


def test_the_project_directory_works_from_source(kitchen_project):
    done = run_python(
        f"""
        import sys
        sys.path.insert(0, {str(kitchen_project)!r})
        import kitchenpy
        print(kitchenpy.AddInt(1, 1), kitchenpy.geo.Origin())
        """
    )
    assert done.stdout.split()[0] == "2", done.stderr


@pytest.fixture(scope="session")
def armonly(tmp_path_factory):
    """A project of the quickstart module that carries a library for
    linux/arm64 only (these tests run elsewhere)."""
    base = tmp_path_factory.mktemp("armonly")
    package(
        "--module", str(FIXTURES / "quickstart"), "--python-package-name", "armonly", "--out", str(base / "out"),
        "--platform", "linux/arm64", "--root", str(base / "root"),
    )  # fmt: skip
    return base / "out" / "armonly"


def test_a_project_without_this_platform_says_which_it_has(armonly):
    done = run_python(f"import sys; sys.path.insert(0, {str(armonly)!r}); import armonly")
    assert "ArtifactNotFoundError: armonly carries no Go library for this platform" in done.stderr
    assert "it has linux-arm64" in done.stderr


def wheel_from_sdist(project: Path, work: Path, env: dict[str, str]) -> Path:
    """pip's way: an sdist of the project, then a wheel of the sdist,
    here, where the project carries no library; the wheel is extracted
    into work/site."""
    sdist = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(work / "sdist")],
        cwd=project, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert sdist.returncode == 0, sdist.stderr
    (archive,) = (work / "sdist").glob("*.tar.gz")
    # This environment has usegolib[build] already; pip's build isolation
    # would install the published one, which this checkout may be ahead of.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", str(archive), "-w", str(work)],
        env={**os.environ, "USEGOLIB_ARTIFACT_DIR": str(work / "cache"), **env},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = work.glob("*.whl")
    assert wheel.name.endswith(f"-py3-none-{next(iter(sys_tags())).platform}.whl")
    with zipfile.ZipFile(wheel) as contents:
        names = contents.namelist()
        assert f"{project.name}/_go/{host_platform().tag.replace('-', '_')}/manifest.json" in names
        assert not any("linux-arm64" in name for name in names)
        contents.extractall(work / "site")
    return wheel


def run_from(site: Path, code: str) -> subprocess.CompletedProcess[str]:
    return run_python(f"import sys; sys.path.insert(0, {str(site)!r})\n{code}")


def test_pip_builds_the_library_from_the_sdist_where_no_prebuilt_one_fits(armonly, tmp_path):
    assert json.loads((armonly / "usegolib-source.json").read_text()) == {"source": "go", "generics": []}
    assert (armonly / "go" / "go.mod").is_file()
    wheel_from_sdist(armonly, tmp_path, {"GOPROXY": "off"})
    done = run_from(tmp_path / "site", "import armonly; print(armonly.AddInt(2, 3))")
    assert done.stdout.strip() == "5", done.stderr


def test_the_sdist_of_a_remote_module_builds_its_pinned_version(tmp_path_factory, tmp_path):
    env = proxy_env(write_proxy(tmp_path_factory.mktemp("goproxy")).as_uri(), tmp_path / "modcache")
    package(
        "--module", "example.com/greet/loud", "--python-package-name", "loudpy", "--out", str(tmp_path / "out"),
        "--platform", "linux/arm64", "--root", str(tmp_path / "root"), env=env,
    )  # fmt: skip
    project = tmp_path / "out" / "loudpy"
    recorded = json.loads((project / "usegolib-source.json").read_text())
    assert recorded == {"source": "example.com/greet/loud@v1.1.0", "generics": []}
    assert not (project / "go").exists()
    wheel_from_sdist(project, tmp_path / "work", env)
    done = run_from(tmp_path / "work" / "site", "import loudpy; print(loudpy.loud.Hello('go'))")
    assert done.stdout.strip() == "HELLO, GO!", done.stderr


def test_bad_names_and_platforms_are_refused(tmp_path):
    for args, message in (
        (["--python-package-name", "my-pkg"], "is not a Python identifier"),
        (["--python-package-name", "ok", "--platform", "plan9/amd64"], "unknown platform 'plan9/amd64'"),
    ):
        done = run_cli("package", "--module", str(FIXTURES / "quickstart"), "--out", str(tmp_path), *args)
        assert done.returncode == 1 and message in done.stderr, done.stderr


def test_a_relative_out_directory_gets_the_wheel(quickstart_root, tmp_path):
    package(
        "--module", str(FIXTURES / "quickstart"), "--python-package-name", "quickrel", "--out", "out", "--wheel",
        "--root", str(quickstart_root), cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = (tmp_path / "out" / "dist").glob("quickrel-0.0.0-py3-none-*.whl")
    assert zipfile.is_zipfile(wheel)


@pytest.fixture(scope="session")
def wheels(tmp_path_factory):
    """Wheels for every platform, built twice from scratch: the second time
    from a copy of the module elsewhere, by a copy of usegolib elsewhere."""
    built = []
    for attempt in ("first", "second"):
        base = tmp_path_factory.mktemp(f"wheels-{attempt}")
        module, env, cwd = FIXTURES / "quickstart", {}, None
        if attempt == "second":
            module = shutil.copytree(module, base / "another place" / "quickstart-copy")
            elsewhere = base / "another usegolib"
            shutil.copytree(ROOT / "usegolib", elsewhere / "usegolib", ignore=shutil.ignore_patterns("__pycache__"))
            shutil.copytree(ROOT / "go_shim", elsewhere / "go_shim")
            env, cwd = {"PYTHONPATH": str(elsewhere)}, elsewhere
            where = subprocess.run(
                [sys.executable, "-c", "import usegolib.builder.shim as s; print(s.shim_dir())"],
                env={**os.environ, **env},
                cwd=cwd,
                capture_output=True,
                text=True,
                check=True,
            )
            assert where.stdout.strip() == str(elsewhere / "go_shim")
        args = ["--module", str(module), "--python-package-name", "quickmod", "--wheel"]
        for name in PLATFORMS:
            args += ["--platform", name]
        package(*args, "--out", str(base / "out"), "--root", str(base / "root"), "--force", env=env, cwd=cwd)
        built.append(sorted((base / "out" / "dist").glob("*.whl")))
    return built


def test_a_wheel_per_platform_with_its_tag_and_binary(wheels):
    first, _ = wheels
    assert sorted(w.name for w in first) == sorted(
        f"quickmod-0.0.0-py3-none-{tag}.whl" for tag, _ in PLATFORMS.values()
    )
    for name, (tag, binary) in PLATFORMS.items():
        (wheel,) = (w for w in first if w.name.endswith(f"-{tag}.whl"))
        plat = name.replace("/", "_")
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            wheel_file = archive.read("quickmod-0.0.0.dist-info/WHEEL").decode()
            metadata = archive.read("quickmod-0.0.0.dist-info/METADATA").decode()
            manifest = json.loads(archive.read(f"quickmod/_go/{plat}/manifest.json"))
            (library,) = (n for n in names if n.startswith(f"quickmod/_go/{plat}/") and not n.endswith(".json"))
            extracted = Path(archive.extract(library, wheel.parent / "x" / plat))
            natives = [n for n in names if n.startswith("quickmod/_usegolib/runtime/_native_")]
            extracted_natives = [Path(archive.extract(n, wheel.parent / "x" / plat)) for n in natives]
        assert "Root-Is-Purelib: false" in wheel_file
        # Every notice, the module's own three directories deep, in the metadata and the wheel.
        notices = ["LICENSES/example.com/mod/LICENSE", "LICENSES/go/LICENSE", "LICENSES/go/PATENTS"]
        notices.append("LICENSES/usegolib/LICENSE")
        assert sorted(re.findall(r"^License-File: (\S+)$", metadata, re.MULTILINE)) == notices
        assert all(f"quickmod-0.0.0.dist-info/licenses/{notice}" in names for notice in notices)
        assert manifest["source"] == {"dir": "go"}  # not where the packager keeps the module
        assert sorted(re.findall(r"Tag: (\S+)", wheel_file)) == sorted(f"py3-none-{t}" for t in tag.split("."))
        assert describe(extracted) == binary
        # The native crossing for the platform (none for Windows: ctypes there).
        assert len(natives) == (0 if name.startswith("windows/") else 1 + (sys.version_info >= (3, 12))), natives
        assert all(describe(n) == binary for n in extracted_natives)
        if name.startswith("windows/"):  # the UCRT and kernel32 only (docs/compatibility.md)
            imports = pe_imports(extracted)
            assert imports[0] == "KERNEL32.dll" and all(i.startswith("api-ms-win-crt-") for i in imports[1:]), imports
        assert {f"quickmod/_go/{plat}/manifest.json", "quickmod/__init__.pyi", "quickmod/py.typed"} <= set(names)
        assert not any(n.startswith("quickmod/_go/") and f"/{plat}/" not in n for n in names)


def test_wheels_pass_check_wheel_contents(wheels):
    done = subprocess.run(
        [sys.executable, "-m", "check_wheel_contents", *map(str, wheels[0])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_linux_wheels_are_manylinux_2_17(wheels):
    first, _ = wheels
    for wheel in (w for w in first if "manylinux" in w.name):
        done = subprocess.run(
            [sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        (glibc,) = re.findall(r'consistent with the following platform tag:\s*"manylinux_2_(\d+)_', done.stdout)
        assert int(glibc) <= 17, done.stdout


def test_wheels_are_reproducible(wheels):
    first, second = wheels
    digest = {w.name: hashlib.sha256(w.read_bytes()).hexdigest() for w in first}
    assert digest == {w.name: hashlib.sha256(w.read_bytes()).hexdigest() for w in second}


def test_wheels_hold_no_path_of_the_packagers_machine(wheels):
    """Neither where the module, usegolib and Zig lie nor the build's
    directories are in any file of a wheel (`go version -m` shows relative
    replace targets; the ELF libraries carry no C debug information)."""
    import ziglang

    machine = [str(ROOT), str(Path(ziglang.__file__).parent), str(wheels[0][0].parents[2]), "/.cache/", "/tmp/"]
    for wheel in wheels[0]:
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                content = archive.read(info)
                leaked = [path for path in machine if path.encode() in content]
                assert not leaked, f"{wheel.name}: {info.filename} holds {leaked}"


@pytest.mark.parametrize(
    ("go", "python"),
    [
        ("v1.6.0", "1.6.0"),
        ("v2.0.0-rc.1", "2.0.0rc1"),
        ("v1.2.3+incompatible", "1.2.3"),
        ("v0.0.0-20240102150405-abcdef123456", "0.0.0.dev20240102150405+gabcdef123456"),
        ("v1.2.4-0.20240102150405-abcdef123456", "1.2.4.dev20240102150405+gabcdef123456"),  # before v1.2.4
    ],
)
def test_go_versions_become_pep_440_versions(go, python):
    assert python_version(go) == python


def test_a_go_version_without_a_pep_440_spelling_asks_for_version():
    with pytest.raises(ValueError, match="pass --version"):
        python_version("v1.0.0-beta.x.y")
