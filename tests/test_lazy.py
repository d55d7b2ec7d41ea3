"""Importing a Go package makes nothing it does not need: members are made
on first access (runtime/package.py), classes get their members on first
use (runtime/handles.py GoClass), dataclasses when first asked for
(runtime/typed.py). Each check runs in a fresh interpreter."""

from __future__ import annotations

import time

import pytest

from usegolib.uptodate import UP_TO_DATE

from .conftest import FIXTURES, quickstart_dir, run_python
from .test_uptodate import SETTLE


def test_importing_makes_no_member_and_imports_no_introspection(quickstart_root):
    done = run_python(
        f"""
        import sys, usegolib
        h = usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r}).typed()
        print(sorted(name for name in ("AddInt", "Greeter", "NewGreeter") if name in vars(h)))
        print(*(name in sys.modules for name in ("inspect", "dataclasses", "uuid", "decimal", "queue")))
        print(sorted(name for name in ("AddInt", "Greeter", "NewGreeter") if name in dir(h)), h.__all__)
        print(h.AddInt(1, 2), "AddInt" in vars(h))
        """
    )
    assert done.stdout.splitlines() == [
        "[]",
        "False False False False False",
        "['AddInt', 'Greeter', 'NewGreeter'] ['AddInt', 'Greeter', 'NewGreeter']",
        "3 True",
    ], done.stderr


def test_star_import_through_the_hook_takes_the_go_api(quickstart_root):
    done = run_python(
        """
        import usegolib.auto
        from go.example_com.mod import *
        print(AddInt(2, 3), NewGreeter("hi").Greet("go"), Greeter.__name__)
        print("vars" in globals(), "types" in globals())
        """,
        USEGOLIB_ARTIFACT_DIR=str(quickstart_root),
        GOPROXY="off",
    )
    assert done.stdout.splitlines() == ["5 hi, go! Greeter", "False False"], done.stderr


def test_classes_get_their_members_on_first_use(kitchen_root):
    """Special methods are looked up on the class, never through a failed
    lookup: a handle's class, and a value class called to make a value,
    are complete before the first instance exists."""
    done = run_python(
        f"""
        import usegolib
        h = usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r})
        lib = h._library
        counter_class = next(c for c in lib.classes.values() if c.__name__ == "Counter")
        print("String" in vars(counter_class))
        counter = h.NewCounter("c")  # adopted: its class is completed first
        print(str(counter), "String" in vars(counter_class))
        weekday = next(c for c in lib.classes.values() if c.__name__ == "Weekday")
        print(str(weekday(1)), weekday(2).Weekend())
        other = next(c for c in lib.classes.values() if c.__name__ == "Version")
        print("String" in dir(other))
        """
    )
    assert done.stdout.splitlines() == ["False", "c=0 True", "Monday False", "True"], done.stderr


def test_threads_using_a_class_first_all_see_its_members(quickstart_root):
    """One thread adds a class's members; the others wait for it rather than
    finding some of them missing."""
    done = run_python(
        f"""
        import sys, threading, usegolib
        sys.setswitchinterval(1e-6)  # threads take turns inside the completion, where a race would be
        for attempt in range(20):
            usegolib.runtime.loader._loaded.clear()  # a fresh library: classes not completed yet
            h = usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r})
            start, results = threading.Barrier(8), []

            def use():
                start.wait()
                try:
                    results.append(h.NewGreeter("hi").Greet("go"))
                except Exception as exc:
                    results.append(repr(exc))

            threads = [threading.Thread(target=use) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert results == ["hi, go!"] * 8, results
        print("ok")
        """
    )
    assert done.stdout.strip() == "ok", done.stderr


# What a warm `import go.x` of a local module must not import
# (docs/performance.md, warm import): each costs milliseconds of start-up,
# and none is needed to check the artifact and load it. (A function's first
# use makes its signature, with inspect and typing.)
NOT_ON_THE_IMPORT_PATH = (
    "threading",
    "typing",
    "re",
    "pathlib",
    "json",
    "shlex",
    "base64",
    "importlib.util",
    "subprocess",
    "tempfile",
    "shutil",
    "inspect",
    "dataclasses",
    "asyncio",
    "platformdirs",
    "tomllib",
    # Calls packed in Python need these; a load on the native crossing
    # (opened and checked by the extension) needs none.
    "msgpack",
    "ctypes",
    "datetime",
    "weakref",
    "usegolib.runtime.codec",
    "usegolib.runtime.callbacks",
    "usegolib.runtime.functions",
    "usegolib.runtime.values",
    "usegolib.runtime.exceptions",
    "usegolib.runtime.context",
    "usegolib.runtime.streams",
    "usegolib.runtime.borrow",
)


# What the up-to-date check of a local module imports only when it runs in
# full: with nothing changed since the last check, the record of what that
# check depended on answers (usegolib/uptodate.py).
NOT_IN_A_REMEMBERED_CHECK = (
    "usegolib.builder",
    "usegolib.builder.fingerprint",
    "usegolib.builder.shim",
    "usegolib.builder.toolchain",
    "hashlib",
)


@pytest.mark.parametrize("found", ["local module", "artifact cache"])
def test_a_warm_import_through_the_hook_imports_only_what_loading_needs(quickstart_root, found):
    """A module whose artifact is cached, found as a local module (checked
    against its sources and the toolchain) or in the artifact root (its
    name resolved from the directories there, and checked as a local
    module, being one): importing it loads none of the modules above, which
    the interpreter had not loaded before."""
    local = {"USEGOLIB_PATH": str(FIXTURES / "quickstart")} if found == "local module" else {}
    env = {**local, "USEGOLIB_ARTIFACT_DIR": str(quickstart_root), "USEGOLIB_QUIET": "1", "GOPROXY": "off"}
    remember_the_check(quickstart_root, env)
    done = run_python(
        f"""
        import sys
        before = set(sys.modules)
        import usegolib.auto
        import go.example_com.mod as mod
        watched = {NOT_ON_THE_IMPORT_PATH + NOT_IN_A_REMEMBERED_CHECK!r}
        print(sorted(name for name in watched if name in sys.modules and name not in before))
        print(mod._library.crossing, mod.AddInt(2, 3))
        """,
        **env,
    )
    assert done.stdout.splitlines() == ["[]", "native 5"], done.stdout + done.stderr


def remember_the_check(root, env):
    """Import once, so that the up-to-date check is remembered; the files
    it reads must be old enough for that (the session's builds may just
    have written the tools' records), else a second import remembers."""
    record = quickstart_dir(root) / UP_TO_DATE
    record.unlink(missing_ok=True)  # perhaps another test's, for another source directory
    for _ in range(2):
        done = run_python("import usegolib.auto, go.example_com.mod", **env)
        assert done.returncode == 0, done.stderr
        if record.is_file():
            return
        time.sleep(SETTLE)
    raise AssertionError(f"the up-to-date check left no {record}")


def test_a_first_call_makes_no_signature_until_one_is_asked_for(quickstart_root):
    """On the native crossing a function's signature (inspect, and typing
    for its annotations) is made when help(), inspect.signature or a
    keyword argument asks for it, not at the first call: together they
    cost a process over 10 ms. Methods too."""
    done = run_python(
        f"""
        import sys
        import usegolib
        h = usegolib.import_("example.com/mod", artifact_dir={str(quickstart_root)!r})
        greeter = h.NewGreeter("hi")
        print(h._library.crossing, h.AddInt(2, 3), greeter.Greet("go"))
        print("inspect" in sys.modules, "typing" in sys.modules)
        import inspect
        print(inspect.signature(h.AddInt), inspect.signature(type(greeter).Greet))
        print(h.AddInt(b=1, a=2))
        """
    )
    assert done.stdout.splitlines() == [
        "native 5 hi, go!",
        "False False",
        "(a: int, b: int) -> int (self, name: str) -> str",
        "3",
    ], done.stdout + done.stderr


def test_first_calls_of_plain_shapes_import_no_msgpack_nor_ctypes(kitchen_root):
    """Ints, a str and small bytes cross in C on the native crossing: their
    first calls import neither msgpack nor ctypes. A large buffer is lent
    through Python (runtime/borrow.py), which imports them then."""
    done = run_python(
        f"""
        import sys
        import usegolib
        h = usegolib.import_("example.com/kitchen", artifact_dir={str(kitchen_root)!r})
        print(h._library.crossing, h.AddInt(2, 3), h.EchoString("go"), h.EchoBytes(b"sixteen bytes..."))
        print("msgpack" in sys.modules, "ctypes" in sys.modules)
        print(len(h.EchoBytes(bytes(1 << 20))), "msgpack" in sys.modules, "ctypes" in sys.modules)
        """
    )
    assert done.stdout.splitlines() == [
        "native 5 go b'sixteen bytes...'",
        "False False",
        "1048576 True True",
    ], done.stdout + done.stderr


def test_usegolibs_own_names_are_there_before_their_modules_are_imported():
    """Ref, Context, numeric_results, AsyncView and GoChannel come with the
    first use of each (msgpack, asyncio, typing), and are listed before."""
    done = run_python(
        """
        import sys, usegolib
        names = ("Ref", "Context", "numeric_results", "AsyncView", "GoChannel")
        print(all(name in dir(usegolib) and name in usegolib.__all__ for name in names))
        print(sorted(m for m in ("msgpack", "asyncio", "typing") if m in sys.modules))
        from usegolib import Ref, Context
        print(Ref.__module__, Context.__module__, usegolib.Ref is Ref)
        """
    )
    assert done.stdout.splitlines() == [
        "True",
        "[]",
        "usegolib.runtime.refs usegolib.runtime.context True",
    ], done.stdout + done.stderr
