"""Go written inline (issue 20): usegolib.inline, the %%go cell magic through
a real IPython shell, and a notebook run by a real kernel. Every build is
real (Go and Zig); the module proxy is tests/fixtures/proxy, as files.

Builds are few and shared: GEO is built once (by a fresh process; a second
process and this one find it), WORDS once (by the magic, with --requires;
usegolib.inline of the same cell finds it), AREA once (by the notebook)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import usegolib
from usegolib._inline import INLINE_DIR, MODULE_PREFIX, make_plan
from usegolib.artifact import LOCAL_VERSION, MANIFEST_FILE, artifact_dir, host_platform
from usegolib.errors import BuildError

from .conftest import run_python
from .goproxy import write_proxy

GEO = """\
import "math"

// Hyp is the hypotenuse of a right triangle.
func Hyp(a, b float64) float64 { return math.Hypot(a, b) }

// Point is a plain struct: a dict, or a dataclass in the typed view.
type Point struct{ X, Y int }

// Mirror swaps the coordinates.
func Mirror(p Point) Point { return Point{p.Y, p.X} }

// Boom panics.
func Boom() { panic("boom") }
"""
BOOM_LINE = GEO.splitlines().index('func Boom() { panic("boom") }') + 1

# GEO changed: Hyp greets, with a module from the proxy.
WORDS = """\
import "example.com/words"

// Hyp now greets.
func Hyp(name string) string { return words.Hello + ", " + name }

// Twice doubles.
func Twice(x int) int { return 2 * x }
"""

AREA = """\
// Rect is a rectangle.
type Rect struct{ W, H float64 }

// Area is W times H.
func Area(r Rect) float64 { return r.W * r.H }
"""

# Two type errors: one on the first line (whose columns shift by the
# package clause added before it), one on the third.
BROKEN = 'var A int = "one"\n\nfunc B() string { return 2 }\n'
# Their columns.
ONE = BROKEN.index('"one"') + 1
TWO = BROKEN.splitlines()[2].index("2 }") + 1


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """This module's artifact root (a fresh one, so that the first build of
    each source is a build), and a module proxy serving the fixture
    modules from files: no network."""
    base = tmp_path_factory.mktemp("inline")
    proxy = write_proxy(base / "proxy")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("USEGOLIB_ARTIFACT_DIR", str(base / "artifacts"))
        patch.setenv("GOPROXY", proxy.as_uri())
        patch.setenv("GONOSUMDB", "example.com")
        patch.setenv("GOMODCACHE", str(base / "modcache"))
        # IPython's and Jupyter's own files stay out of the home directory.
        patch.setenv("IPYTHONDIR", str(base / "ipython"))
        patch.setenv("JUPYTER_RUNTIME_DIR", str(base / "jupyter-runtime"))
        yield base / "artifacts"


def artifact_of(root: Path, module: str) -> Path:
    return Path(artifact_dir(root, module, LOCAL_VERSION, host_platform()))


def inline_in_a_new_process(root: Path) -> tuple[str, str]:
    done = run_python(
        f"""
        import usegolib
        geo = usegolib.inline({GEO!r})
        print(geo.__go_module__, geo.Hyp(3, 4), geo.Mirror({{"X": 1, "Y": 2}}))
        """,
        USEGOLIB_ARTIFACT_DIR=str(root),
        GOPROXY="off",  # a source without requirements builds offline
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


@pytest.fixture(scope="module")
def geo_module(root: Path) -> str:
    """GEO, built by one process and found by a second one."""
    out, err = inline_in_a_new_process(root)
    module, *results = out.split(maxsplit=1)
    assert results == ["5.0 {'X': 2, 'Y': 1}\n"], err
    assert f"building {module}@local: no artifact yet" in err
    manifest = artifact_of(root, module) / MANIFEST_FILE
    built_at = manifest.stat().st_mtime_ns
    again_out, again_err = inline_in_a_new_process(root)
    assert again_out == out
    assert "building" not in again_err and "usegolib:" not in again_err, again_err
    assert manifest.stat().st_mtime_ns == built_at
    return module


def test_the_same_source_is_built_once_across_processes(geo_module: str, root: Path) -> None:
    assert geo_module.startswith(MODULE_PREFIX)
    source_dir = root / INLINE_DIR / geo_module.rsplit("/", 1)[1]
    assert (source_dir / "inline.go").read_text() == "package inline; " + GEO
    assert (source_dir / "go.mod").read_text().startswith(f"module {geo_module}\n\ngo 1.")
    manifest = json.loads((artifact_of(root, geo_module) / MANIFEST_FILE).read_text())
    assert manifest["source"] == {"dir": str(source_dir.resolve())}


def test_inline_returns_the_package_as_import_does(geo_module: str, capfd: pytest.CaptureFixture[str]) -> None:
    geo = usegolib.inline(GEO + "\n\n")  # trailing blank lines change nothing
    assert isinstance(geo, usegolib.GoPackage)
    assert geo.__go_module__ == geo_module
    assert geo.Hyp(a=6, b=8) == 10.0
    assert geo.typed().Mirror(geo.typed().Point(X=1, Y=2)) == geo.typed().Point(X=2, Y=1)
    assert "Hyp is the hypotenuse" in (geo.Hyp.__doc__ or "")
    with pytest.raises(usegolib.GoPanicError) as panic:
        geo.Boom()
    assert f"{geo_module}/inline.go:{BOOM_LINE}" in panic.value.go_stack  # the source's own line
    assert "building" not in capfd.readouterr().err


def test_compile_errors_name_the_lines_of_the_source(root: Path) -> None:
    with pytest.raises(BuildError) as caught:
        usegolib.inline(BROKEN)
    message = str(caught.value)
    first = f'<inline>:1:{ONE}: cannot use "one"'
    third = f"<inline>:3:{TWO}: cannot use 2"
    assert message.startswith("the Go source does not compile:\n"), message
    assert first in message and third in message, message
    assert "inline.go" not in message and MODULE_PREFIX not in message, message


def test_an_import_without_requires_says_to_add_it(root: Path) -> None:
    with pytest.raises(BuildError, match=r"imports example\.com/words, .*requires="):
        usegolib.inline('import "example.com/words"\n\nconst Hello = words.Hello\n')


def test_arguments_are_checked_before_anything_is_built() -> None:
    with pytest.raises(ValueError, match="package main"):
        usegolib.inline("func F() {}", name="main")
    with pytest.raises(ValueError, match="says `package geo` but name='other'"):
        usegolib.inline("package geo\n\nfunc F() {}", name="other")
    with pytest.raises(ValueError, match=r"exact module version such as v1\.6\.0"):
        usegolib.inline("func F() {}", requires={"github.com/google/uuid": "latest"})
    with pytest.raises(ValueError, match="not a Go package name"):
        usegolib.inline("func F() {}", name="my-geo")


def test_the_module_is_named_by_its_content() -> None:
    def module(source: str, name: str | None = None) -> str:
        return make_plan(source, requires=(), name=name, go_version="1.23").module

    plain = module(GEO)
    assert module(GEO + "  \n") == plain
    assert module("package inline\n" + GEO) != plain  # another file, other lines
    assert module(GEO, name="geo") != plain
    assert make_plan(GEO, requires=(), name=None, go_version="1.24").module != plain
    documented = make_plan("// Package geo is geometry.\npackage geo\n" + GEO, requires=(), name="geo", go_version="1")
    assert documented.prefix == "" and documented.text.startswith("// Package geo")


def test_import_usegolib_does_not_import_ipython_or_the_builder() -> None:
    done = run_python("""
        import sys, usegolib
        print(sorted(m for m in ("IPython", "usegolib._inline", "usegolib.magic") if m in sys.modules))
    """)
    assert done.stdout.strip() == "[]", done.stderr


@pytest.fixture(scope="module")
def shell(root: Path) -> Iterator[object]:
    """A real IPython shell with the extension loaded. IPython's shell puts
    its namespace in sys.modules as __main__ and adds names to builtins:
    both are put back afterwards, for the tests that follow."""
    import atexit
    import builtins
    import sys

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    main = sys.modules["__main__"]
    added = {"__IPYTHON__", "display"} - set(vars(builtins))
    config = Config()
    config.HistoryManager.enabled = False  # no history database
    ip = InteractiveShell.instance(config=config)
    try:
        assert ip.run_cell("%load_ext usegolib", store_history=True).success
        yield ip
    finally:
        atexit.unregister(ip.atexit_operations)
        InteractiveShell.clear_instance()
        sys.modules["__main__"] = main
        for name in added:
            vars(builtins).pop(name, None)


def run_cell(shell: object, text: str) -> tuple[int, object]:
    """Run a cell as the notebook would; its number and result."""
    number = shell.execution_count  # type: ignore[attr-defined]
    return number, shell.run_cell(text, store_history=True)  # type: ignore[attr-defined]


def test_the_go_magic_binds_exported_names_and_rebinds_a_changed_cell(
    shell: object, geo_module: str, root: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    ns = shell.user_ns  # type: ignore[attr-defined]
    _, result = run_cell(shell, "%%go\n" + GEO)  # built already: found in the cache
    assert result.success, result.error_in_exec  # type: ignore[attr-defined]
    assert "building" not in capfd.readouterr().err
    assert ns["Hyp"](3, 4) == 5.0
    assert ns["Mirror"](ns["Point"](X=1, Y=2)) == ns["Point"](X=2, Y=1)  # typed view: dataclasses
    first_hyp = ns["Hyp"]

    _, result = run_cell(shell, "%%go --requires example.com/words@v1.0.0\n" + WORDS)
    assert result.success, result.error_in_exec  # type: ignore[attr-defined]
    assert "resolving example.com/words@v1.0.0" in capfd.readouterr().err
    assert ns["Hyp"] is not first_hyp
    assert ns["Hyp"]("gopher") == "Hello, gopher"
    assert ns["Twice"](21) == 42
    assert ns["Mirror"].__module__ == f"go.usegolib_inline.{geo_module.rsplit('/', 1)[1]}"  # still the first build's

    # usegolib.inline of the same source and requirements is that build.
    words = usegolib.inline(WORDS, requires={"example.com/words": "v1.0.0"})
    assert words.Twice(2) == 4
    assert "building" not in capfd.readouterr().err
    go_sum = root / INLINE_DIR / words.__go_module__.rsplit("/", 1)[1] / "go.sum"
    assert "example.com/words v1.0.0 h1:" in go_sum.read_text()


def test_the_go_magic_names_the_cells_lines_in_compile_errors(shell: object) -> None:
    number, result = run_cell(shell, "%%go\n" + BROKEN)
    error = result.error_in_exec  # type: ignore[attr-defined]
    assert isinstance(error, BuildError)
    # The %%go line is the cell's line 1.
    assert f'cell {number}, line 2, column {ONE}: cannot use "one"' in str(error), error
    assert f"cell {number}, line 4, column {TWO}: cannot use 2" in str(error), error
    assert error._render_traceback_() == [f"CellBuildError: {error}"]  # type: ignore[attr-defined]


def test_the_go_magic_refuses_bad_arguments_with_a_usage_error(shell: object) -> None:
    from IPython.core.error import UsageError

    _, result = run_cell(shell, "%%go --requires example.com/words\nfunc F() {}\n")
    assert isinstance(result.error_in_exec, UsageError)  # type: ignore[attr-defined]
    assert "write MODULE@VERSION" in str(result.error_in_exec)  # type: ignore[attr-defined]


def test_a_notebook_builds_binds_and_reports_through_a_kernel(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("%load_ext usegolib"),
        nbformat.v4.new_code_cell("%%go --name geo\n" + AREA),
        nbformat.v4.new_code_cell("print(geo.Area(geo.Rect(W=2, H=3)))"),
        nbformat.v4.new_code_cell('%%go\nfunc Broken() int { return "x" }'),
    ]
    monkeypatch.delenv("USEGOLIB_QUIET", raising=False)  # the kernel starts with this environment
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", allow_errors=True, resources={"metadata": {"path": tmp_path}}
    )
    client.execute()
    load, build, call, broken = notebook.cells
    assert [o for o in load.outputs if o.output_type == "error"] == []
    progress = "".join(o.text for o in build.outputs if o.output_type == "stream" and o.name == "stderr")
    assert "building usegolib.inline/m" in progress and "built usegolib.inline/m" in progress, build.outputs
    assert [o.text for o in call.outputs if o.output_type == "stream"] == ["6.0\n"], call.outputs
    (error,) = [o for o in broken.outputs if o.output_type == "error"]
    assert error.ename == "CellBuildError"
    column = 'func Broken() int { return "x" }'.index('"x"') + 1
    assert f"cell {broken.execution_count}, line 2, column {column}: cannot use" in error.evalue, error
