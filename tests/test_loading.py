"""Loading artifacts: verification before the library is opened (SPEC §4
LoadError), artifact discovery and the version rules (SPEC §5). Each scenario
runs in a fresh interpreter, since a process holds one version of a module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from usegolib.artifact import host_platform

from .conftest import quickstart_dir, run_python

IMPORT = """
import usegolib, sys
try:
    h = usegolib.import_("example.com/mod", artifact_dir=sys.argv[1] if len(sys.argv) > 1 else {root!r}{version})
except usegolib.UsegolibError as exc:
    print(type(exc).__name__, exc, sep=": ")
    raise SystemExit(1)
print("loaded", h.AddInt(20, 22))
"""


def load(root, version=None, **env):
    code = IMPORT.format(root=str(root), version=f", version={version!r}" if version else "")
    return run_python(code, **env)


def edit_manifest(root, **changes):
    path = quickstart_dir(root) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def test_a_good_artifact_loads(quickstart_copy):
    done = load(quickstart_copy)
    assert done.stdout.strip() == "loaded 42", done.stderr


def library_of(root):
    directory = quickstart_dir(root)
    return directory / json.loads((directory / "manifest.json").read_text())["library"]["file"]


def test_one_flipped_byte_is_a_load_error(quickstart_copy):
    library = library_of(quickstart_copy)
    data = bytearray(library.read_bytes())
    data[len(data) // 2] ^= 0x01
    library.write_bytes(bytes(data))
    done = load(quickstart_copy)
    assert done.returncode == 1
    assert done.stdout.startswith("LoadError: ")
    assert "does not match the manifest" in done.stdout


def test_a_flipped_byte_after_a_verified_load_is_still_caught(quickstart_copy):
    """The remembered checksum (.verified) is tied to the file's change
    time: writing the file, even keeping its size and mtime, voids it."""
    assert load(quickstart_copy).stdout.strip() == "loaded 42"
    library = library_of(quickstart_copy)
    assert (library.parent / ".verified").is_file()
    before = library.stat()
    data = bytearray(library.read_bytes())
    data[len(data) // 3] ^= 0x01
    library.write_bytes(bytes(data))
    os.utime(library, ns=(before.st_atime_ns, before.st_mtime_ns))
    done = load(quickstart_copy)
    assert "does not match the manifest" in done.stdout, done.stdout + done.stderr


def test_an_edited_manifest_is_read_again_not_taken_from_its_copy(quickstart_copy):
    """The manifest's parsed copy (.manifest.parsed) is tied to
    manifest.json's change time: an edit, even one keeping its size and
    mtime, makes the next import read manifest.json and check what it says."""
    assert load(quickstart_copy).stdout.strip() == "loaded 42"
    manifest_file = quickstart_dir(quickstart_copy) / "manifest.json"
    copy = quickstart_dir(quickstart_copy) / ".manifest.parsed"
    assert copy.is_file()
    assert load(quickstart_copy).stdout.strip() == "loaded 42"  # from the copy
    before = manifest_file.stat()
    edited = json.loads(manifest_file.read_text())
    edited["abi_version"] = -1
    manifest_file.write_text(json.dumps(edited).ljust(before.st_size))
    os.utime(manifest_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert manifest_file.stat().st_size == before.st_size
    done = load(quickstart_copy)
    assert "LoadError: " in done.stdout and "ABI version -1" in done.stdout, done.stdout + done.stderr


def test_library_is_not_opened_when_verification_fails(quickstart_copy):
    # A library that is not even a shared object: opening it would fail
    # differently, so a LoadError proves it was never opened.
    library = library_of(quickstart_copy)
    library.write_bytes(b"not a shared library")
    done = load(quickstart_copy)
    assert "LoadError: " in done.stdout
    assert "sha256" in done.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"manifest_version": 99}, "manifest version 99"),
        ({"abi_version": 99}, "ABI version 99"),
        ({"goos": "plan9"}, "built for plan9/"),
        ({"goarch": "riscv64"}, "/riscv64, but this is"),
        ({"library": {"file": "../escape.so", "sha256": "0"}}, "invalid library file name"),
        ({"module": "example.com/other"}, "lies where example.com/mod version local belongs"),
        ({"version": "v1.0.0"}, "describes 'example.com/mod' version 'v1.0.0'"),
    ],
)
def test_manifest_mismatches_are_load_errors(quickstart_copy, changes, message):
    edit_manifest(quickstart_copy, **changes)
    done = load(quickstart_copy)
    assert done.returncode == 1
    assert done.stdout.startswith("LoadError: ")
    assert message in done.stdout


def test_corrupt_manifest_is_a_load_error(quickstart_copy):
    (quickstart_dir(quickstart_copy) / "manifest.json").write_text("{not json")
    done = load(quickstart_copy)
    assert done.stdout.startswith("LoadError: cannot read")


def test_missing_library_is_a_load_error(quickstart_copy):
    library_of(quickstart_copy).unlink()
    done = load(quickstart_copy)
    assert done.stdout.startswith("LoadError: ")
    assert "is missing" in done.stdout


def test_symlinked_library_is_a_load_error(quickstart_copy, tmp_path):
    library = library_of(quickstart_copy)
    outside = tmp_path / "outside.so"
    shutil.move(library, outside)
    os.symlink(outside, library)
    done = load(quickstart_copy)
    assert done.stdout.startswith("LoadError: ")
    assert "symbolic link" in done.stdout


def test_no_artifact_offline_says_why(tmp_path):
    done = load(tmp_path, USEGOLIB_OFFLINE="1")
    assert done.stdout.startswith("ArtifactNotFoundError: no artifact for example.com/mod")
    assert "USEGOLIB_OFFLINE=1" in done.stdout


def add_version(root, version):
    src = quickstart_dir(root)
    dst = src.parent.parent / version / src.name
    shutil.copytree(src, dst)
    manifest = json.loads((dst / "manifest.json").read_text())
    manifest["version"] = version
    (dst / "manifest.json").write_text(json.dumps(manifest))


def test_several_versions_are_ambiguous_without_a_version(quickstart_copy):
    add_version(quickstart_copy, "v1.0.0")
    done = load(quickstart_copy)
    assert done.stdout.startswith("AmbiguousArtifactError: several versions of example.com/mod")
    assert "local, v1.0.0" in done.stdout
    assert load(quickstart_copy, version="v1.0.0").stdout.strip() == "loaded 42"
    missing = load(quickstart_copy, version="v9.9.9", USEGOLIB_OFFLINE="1")
    assert missing.stdout.startswith("ArtifactNotFoundError: no artifact for example.com/mod@v9.9.9")
    assert "Go found no module providing example.com/mod@v9.9.9" in missing.stdout


def test_one_version_per_process(quickstart_copy):
    add_version(quickstart_copy, "v1.0.0")
    done = run_python(f"""
        import usegolib
        root = {str(quickstart_copy)!r}
        first = usegolib.import_("example.com/mod", artifact_dir=root, version="v1.0.0")
        again = usegolib.import_("example.com/mod", artifact_dir=root)  # follows the loaded version
        assert again is first, (again, first)
        try:
            usegolib.import_("example.com/mod", artifact_dir=root, version="local")
        except usegolib.errors.VersionConflictError as exc:
            print("conflict:", exc)
    """)
    assert done.returncode == 0, done.stderr
    assert "conflict: Go module example.com/mod is already loaded at version v1.0.0" in done.stdout


def test_artifact_dir_defaults_to_the_environment(quickstart_copy):
    code = "import usegolib; print(usegolib.import_('example.com/mod').AddInt(1, 1))"
    done = run_python(code, USEGOLIB_ARTIFACT_DIR=str(quickstart_copy))
    assert done.stdout.strip() == "2", done.stderr


def test_packages_and_unknown_packages(quickstart_copy):
    done = run_python(
        f"""
        import usegolib
        root = {str(quickstart_copy)!r}
        try:  # not a package of the cached module: it might be a module of its own
            usegolib.import_("example.com/mod/nope", artifact_dir=root)
        except usegolib.errors.ArtifactNotFoundError as exc:
            print(exc)
        usegolib.import_("example.com/mod", artifact_dir=root)
        try:  # once the module is loaded, its package list is the answer
            usegolib.import_("example.com/mod/nope", artifact_dir=root)
        except usegolib.errors.ArtifactNotFoundError as exc:
            print(exc)
        for bad in ("../etc", "/abs", "a//b", "with space"):
            try:
                usegolib.import_(bad, artifact_dir=root)
            except ValueError as exc:
                print("refused path", bad)
        for bad in ("../local", "v1/../../x", ""):
            try:
                usegolib.import_("example.com/mod", artifact_dir=root, version=bad)
            except ValueError as exc:
                print("refused version", bad)
    """,
        USEGOLIB_OFFLINE="1",
    )
    assert "no artifact for example.com/mod/nope under" in done.stdout, done.stderr
    assert "Go module example.com/mod has no package example.com/mod/nope" in done.stdout, done.stderr
    assert done.stdout.count("refused path") == 4
    assert done.stdout.count("refused version") == 3


def test_platform_directory_is_the_host_platform(quickstart_copy):
    plat = host_platform()
    assert quickstart_dir(quickstart_copy).name == f"{plat.goos}-{plat.goarch}"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_a_forked_child_gets_a_clear_error_and_the_parent_goes_on(quickstart_root):
    done = run_python(
        f"""
        import gc, os, usegolib
        h = usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r})
        greeter = h.Greeter(Greeting="hi")
        print("parent", h.AddInt(1, 2))
        pid = os.fork()
        if pid == 0:
            try:
                h.AddInt(1, 2)  # the integer entry points
            except usegolib.errors.ForkError as exc:
                print("child", "fork" in str(exc) and "spawn" in str(exc))
            try:
                greeter.Greet("go")  # usegolib_call
            except usegolib.errors.ForkError:
                print("child again")
            del greeter  # releasing a handle must not call into Go either
            gc.collect()
            os._exit(0)
        os.waitpid(pid, 0)
        print("parent again", h.AddInt(2, 3), greeter.Greet("go"))
        """
    )
    assert done.stdout.splitlines() == ["parent 3", "child True", "child again", "parent again 5 hi, go!"], done.stderr


def test_a_child_forked_before_any_call_gets_a_clear_error(quickstart_root):
    """The library is asked for its ABI before its first call, not at load
    (Library.ready): a child forked between the two must be refused, not
    left waiting for a Go runtime it does not have."""
    done = run_python(
        f"""
        import os, signal, usegolib
        h = usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r})
        pid = os.fork()
        if pid == 0:
            signal.alarm(30)  # a hang ends the child rather than the test's patience
            for attempt in (lambda: h.AddInt(1, 2), lambda: h.Greeter(Greeting="hi")):
                try:
                    attempt()
                except usegolib.errors.ForkError:
                    print("child refused")
            os._exit(0)
        os.waitpid(pid, 0)
        print("parent", h.AddInt(2, 3), h.Greeter(Greeting="hi").Greet("go"))
        """
    )
    assert done.stdout.splitlines() == ["child refused", "child refused", "parent 5 hi, go!"], done.stdout + done.stderr


def test_multiprocessing_with_spawn_works(quickstart_root, tmp_path):
    script = tmp_path / "spawned.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import multiprocessing
            import usegolib

            def add(pair):
                h = usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r})
                return h.AddInt(*pair)

            if __name__ == "__main__":
                usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r})  # loaded in the parent too
                with multiprocessing.get_context("spawn").Pool(2) as pool:
                    print(pool.map(add, [(1, 2), (3, 4), (5, 6)]))
            """
        )
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "[3, 7, 11]", done.stderr


# A library with every entry point a load binds, whose usegolib_abi_version
# says 99: what a manifest that lies about its ABI would open.
_OTHER_ABI = """
#include <stdint.h>
int32_t usegolib_abi_version(void) { return 99; }
int64_t usegolib_call(int32_t id, const char *args, int32_t size, char *out) { return 0; }
int64_t usegolib_call_ints0(int32_t id) { return 0; }
int64_t usegolib_call_ints1(int32_t id, int32_t a) { return 0; }
int64_t usegolib_call_ints2(int32_t id, int32_t a, int32_t b) { return 0; }
int64_t usegolib_call_ints3(int32_t id, int32_t a, int32_t b, int32_t c) { return 0; }
int64_t usegolib_call_ints4(int32_t id, int32_t a, int32_t b, int32_t c, int32_t d) { return 0; }
void usegolib_release_handle(uint64_t id) {}
void usegolib_release_result(uint64_t id) {}
"""


@pytest.mark.parametrize("crossing", ["native", "ctypes"])
def test_a_library_speaking_another_abi_is_refused_before_its_first_call(tmp_path, crossing):
    """The library itself is asked for its ABI before the first call (Go
    starts meanwhile, so an import returns without waiting for it): a
    manifest that lies gets a LoadError there, and nothing is called."""
    import shlex

    from usegolib.builder.toolchain import find_cc

    (tmp_path / "other.c").write_text(_OTHER_ABI)
    cc, _ = find_cc(host_platform())
    library = tmp_path / "libother.so"
    subprocess.run([*shlex.split(cc), "-shared", "-fPIC", "-o", str(library), str(tmp_path / "other.c")], check=True)
    done = run_python(
        f"""
        from usegolib.errors import LoadError
        from usegolib.runtime.library import Library
        lib = Library({str(library)!r}, {{"module": "example.com/other", "version": "v1.0.0"}})
        print(lib.crossing)
        for attempt in (lib.ready, lambda: lib.invoker(1, "F", ["a"]), lambda: lib.int_invoker(1, "F", [], print)):
            try:
                attempt()
            except LoadError as exc:
                print(exc)
        """,
        USEGOLIB_NATIVE="1" if crossing == "native" else "0",
    )
    lines = done.stdout.splitlines()
    assert lines[0] == crossing, done.stdout + done.stderr
    assert len(lines) == 4 and all(f"{library} speaks ABI version 99" in line for line in lines[1:]), done.stdout
