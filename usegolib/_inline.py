"""Go written inline (issue 20): ``usegolib.inline(source)`` writes the source
as a Go module of its own, named by a hash of its content, in the artifact
root (usegolib's cache unless configured otherwise), then builds and
imports it as any local module. The same source is
written and built once, by whichever process gets there first; a changed
source is another module (Go cannot unload a library, so the old one stays).

Compiler errors name positions in the written file; they are rewritten to
positions in the user's source (``<inline>:3:5``, or the cell's in a
notebook, usegolib/magic.py)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .artifact import (
    LOCAL_VERSION,
    MANIFEST_FILE,
    artifact_dir,
    check_module_path,
    default_root,
    host_platform,
)
from .config import settings
from .errors import BuildError
from .runtime import import_

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .runtime import GoPackage

# The sources' directory in the artifact root, beside their artifacts (and
# .staging, .locks): a dot name is never a module path, so it cannot
# collide with an artifact, and `usegolib cache ls` passes it by.
INLINE_DIR = ".inline"
MODULE_PREFIX = "usegolib.inline/m"
SOURCE_FILE = "inline.go"
DEFAULT_PACKAGE = "inline"
# The go directive when the toolchain's version cannot be read (a devel
# build): the oldest Go usegolib builds with.
FALLBACK_GO = "1.22"
# Bumped when what is written changes, so that old directories are not reused.
LAYOUT = "1"

# (line, column or None) of the user's source -> how an error names it.
Where = Callable[[int, "int | None"], str]

_GO_KEYWORDS = frozenset(
    {
        "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func",
        "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select", "struct",
        "switch", "type", "var",
    }
)  # fmt: skip
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Comments and blank space before a package clause.
_LEADING = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_PACKAGE_CLAUSE = re.compile(r"package\s+([A-Za-z_][A-Za-z0-9_]*)")
# A position in the written file as Go prints it: a path ending in the
# source file's name (relative, absolute, in the module path), line, column.
_POSITION = re.compile(r"(?:[A-Za-z]:)?[^\s:()'\"]*?(?<![\w.-])" + re.escape(SOURCE_FILE) + r":(\d+)(?::(\d+))?")
_MISSING_MODULE = re.compile(r"no required module provides package (\S+?);")
_EXACT_VERSION = re.compile(r"^v\d+\.\d+\.\d+\S*$")


@dataclass(frozen=True)
class Plan:
    """What is written for one source: its module, its files, and how
    positions in the file map back to the user's source."""

    module: str
    go_mod: str
    text: str  # the source file as written
    requires: tuple[tuple[str, str], ...]
    # The package clause added before the user's first line, on that same
    # line (so that line numbers, also in Go's panic stacks, stay the
    # user's); columns of line 1 shift by its length.
    prefix: str

    @property
    def directory_name(self) -> str:
        return self.module.rsplit("/", 1)[1]

    def user_position(self, line: int, column: int | None) -> tuple[int, int | None]:
        if line == 1 and column is not None:
            column = max(column - len(self.prefix), 1)
        return line, column


def colon_position(line: int, column: int | None) -> str:
    """How a compiler error of usegolib.inline() names a position."""
    return f"<inline>:{line}" + (f":{column}" if column is not None else "")


def inline(
    source: str,
    *,
    requires: Mapping[str, str] | None = None,
    name: str | None = None,
    where: Where = colon_position,
) -> GoPackage:
    """usegolib.inline (see its docstring in usegolib/__init__.py); where
    spells positions in compile errors."""
    if not isinstance(source, str):
        raise TypeError(f"usegolib.inline() takes Go source as a str, not {type(source).__name__}")
    plan = make_plan(source, requires=_checked_requires(requires), name=name, go_version=_go_language_version())
    root = Path(settings().artifact_dir or default_root())
    try:
        directory = written(plan, root / INLINE_DIR)
        return _imported(plan, directory, root)
    except BuildError as exc:
        better = relabeled(exc, plan, where)
        if better is None:
            raise  # no position to rewrite: Go's own message, and its class, say it best
        raise better from None


def make_plan(source: str, *, requires: tuple[tuple[str, str], ...], name: str | None, go_version: str) -> Plan:
    """The module for source: its package clause (the source's own, else
    one made from name), go.mod, and a module path hashing all of it."""
    declared = package_clause(source)
    if name is not None:
        _check_package_name(name)
    if declared is not None and name is not None and declared != name:
        raise ValueError(f"the Go source says `package {declared}` but name={name!r}: drop one of them")
    package = declared or name or DEFAULT_PACKAGE
    if package == "main":
        raise ValueError("a Go `package main` cannot be imported: give the package another name")
    prefix = "" if declared is not None else f"package {package}; "
    # Trailing blank space means nothing to Go: the same code with or
    # without it is one module.
    text = prefix + source.rstrip() + "\n"
    identity = json.dumps({"layout": LAYOUT, "go": go_version, "requires": requires, "source": text})
    module = MODULE_PREFIX + hashlib.sha256(identity.encode()).hexdigest()[:24]
    lines = [f"module {module}", "", f"go {go_version}"]
    if requires:
        lines += ["", "require (", *(f"\t{path} {version}" for path, version in requires), ")"]
    return Plan(module, "\n".join(lines) + "\n", text, requires, prefix)


def package_clause(source: str) -> str | None:
    """The package name the source declares, if it starts (after comments)
    with a package clause."""
    leading = _LEADING.match(source)
    match = _PACKAGE_CLAUSE.match(source, leading.end() if leading else 0)
    return match.group(1) if match else None


def _check_package_name(name: str) -> None:
    if not isinstance(name, str) or not _IDENTIFIER.match(name) or name in _GO_KEYWORDS or name == "_":
        raise ValueError(f"name={name!r} is not a Go package name: use letters, digits and _, e.g. name='geo'")


def _checked_requires(requires: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """requires as sorted (module, version) pairs; a version must be exact,
    so that the same source always means the same build."""
    if requires is None:
        return ()
    if not isinstance(requires, Mapping):
        raise TypeError('requires= takes a dict of module path to version, e.g. {"github.com/google/uuid": "v1.6.0"}')
    pairs = []
    for path, version in requires.items():
        check_module_path(path)
        if not isinstance(version, str) or not _EXACT_VERSION.match(version):
            raise ValueError(f"requires: {path} needs an exact module version such as v1.6.0, not {version!r}")
        pairs.append((path, version))
    return tuple(sorted(pairs))


def _go_language_version() -> str:
    """The go directive of an inline module: the language version of the Go
    that builds it, so that inline code may use all of that Go (iterators
    need 1.23), and no other toolchain is ever downloaded for it."""
    from .builder.toolchain import find_toolchain

    match = re.search(r"go(\d+)\.(\d+)", find_toolchain(host_platform()).go_version)
    return f"{match.group(1)}.{match.group(2)}" if match else FALLBACK_GO


def written(plan: Plan, inline_root: Path) -> Path:
    """The module directory of plan, written if missing: into a staging
    directory, then renamed into place, so that a directory that exists is
    complete; of two processes writing it, the first rename wins."""
    from .builder.builder import stderr_log
    from .builder.workspace import staging_dir

    final = inline_root / plan.directory_name
    if final.is_dir():
        return final
    with staging_dir(inline_root, keep=False, log=stderr_log) as staging:
        module = staging / "module"
        module.mkdir()
        (module / "go.mod").write_text(plan.go_mod, encoding="utf-8")
        (module / SOURCE_FILE).write_text(plan.text, encoding="utf-8")
        if plan.requires:
            _resolve_requirements(plan, module)
        try:
            os.replace(module, final)
        except OSError:
            if not final.is_dir():
                raise
    return final


def _resolve_requirements(plan: Plan, module: Path) -> None:
    """`go mod tidy`: downloads what requires names and writes go.sum, which
    the build copies. A module the source imports that requires does not
    name would be taken at its latest version: refused, so that a source
    always builds the same."""
    from .builder.builder import stderr_log
    from .builder.gotool import GoTool
    from .builder.toolchain import find_toolchain

    plat = host_platform()
    go = GoTool(find_toolchain(plat), plat, offline=settings().offline, log=stderr_log)
    stderr_log(f"resolving {', '.join(f'{p}@{v}' for p, v in plan.requires)} for the inline Go source")
    go.run(["mod", "tidy"], cwd=module, what="resolving the requirements of the inline Go source", network=True)
    edit = json.loads(go.run(["mod", "edit", "-json"], cwd=module, what="reading the inline module's go.mod"))
    named = {path for path, _ in plan.requires}
    added = [r for r in edit.get("Require") or [] if not r.get("Indirect") and r["Path"] not in named]
    if added:
        found = ", ".join(f'"{r["Path"]}": "{r["Version"]}"' for r in added)
        raise BuildError(f"the Go source imports modules that requires= does not name: add {{{found}}} to requires")


def _imported(plan: Plan, directory: Path, root: Path) -> GoPackage:
    """Build the module unless its artifact is there (import_ then checks it
    is up to date, as for any local module), and import it."""
    from .builder.builder import build_module

    if not os.path.isfile(os.path.join(artifact_dir(root, plan.module, LOCAL_VERSION, host_platform()), MANIFEST_FILE)):
        build_module(directory, root)
    return import_(plan.module, artifact_dir=root)


def relabeled(exc: BuildError, plan: Plan, where: Where) -> BuildError | None:
    """exc with positions in the written file as positions in the user's
    source, and the compiler's lines alone, as they say it all; or what to
    do about an import no requirement provides. None when exc is neither."""
    message = str(exc)
    missing = _MISSING_MODULE.search(message)
    if missing:
        return BuildError(
            f"the Go source imports {missing.group(1)}, which no module it requires provides: name the module and "
            "an exact version in requires= (usegolib.inline(..., requires={MODULE: VERSION}); in a notebook, "
            "%%go --requires MODULE@VERSION)"
        )
    compiler_lines = [line for line in message.splitlines() if _POSITION.search(line)]
    if not compiler_lines:
        return None
    text = "\n".join(_POSITION.sub(lambda m: _where(m, plan, where), line) for line in compiler_lines)
    return BuildError("the Go source does not compile:\n" + text)


def _where(match: re.Match[str], plan: Plan, where: Where) -> str:
    line, column = plan.user_position(int(match.group(1)), int(match.group(2)) if match.group(2) else None)
    return where(line, column)
