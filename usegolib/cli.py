"""The ``usegolib`` command line (``python -m usegolib``)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ._version import __version__
from .artifact import default_root
from .builder.progress import human_size
from .config import settings
from .errors import UsegolibError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


def _root(args: argparse.Namespace) -> Path:
    if args.root:
        return Path(args.root).expanduser()
    return Path(settings().artifact_dir or default_root())


def _build(args: argparse.Namespace) -> int:
    from .builder import build_module
    from .builder.summary import summary
    from .generics import load

    instantiations = load(args.generics) if args.generics else None
    result = build_module(
        args.module, args.out or _root(args), force=args.force, generics=instantiations, packages=_listed(args.packages)
    )
    print(result.path)
    print(summary(result.manifest))
    return 0


def _listed(packages: str | None) -> list[str] | None:
    """--packages a,b as a list; None when not given."""
    return [p for p in packages.split(",") if p.strip()] if packages else None


def _stubs(args: argparse.Namespace) -> int:
    from .config import settings
    from .runtime.locate import locate
    from .runtime.verify import read_manifest
    from .stubs import write_tree

    located = locate(args.module, args.version, _root(args), settings())
    written = write_tree(read_manifest(located.directory), Path(args.out))
    print(f"wrote stubs for {len(written)} packages of {located.module}@{located.version} under {args.out}")
    print(f"check with: MYPYPATH={args.out} mypy your_code.py")
    return 0


def _package(args: argparse.Namespace) -> int:
    from .distribute.package import make_package
    from .generics import load

    instantiations = load(args.generics) if args.generics else None
    done = make_package(
        args.module,
        args.python_package_name,
        Path(args.out),
        _root(args),
        version=args.version,
        platforms=args.platform,
        wheels=args.wheel,
        generics=instantiations,
        packages=_listed(args.packages),
        force=args.force,
    )
    print(done.project)
    for wheel in done.wheels:
        print(wheel)
    return 0


def _inspect(args: argparse.Namespace) -> int:
    from .builder.bridge_module import LocalSource, parse_source
    from .coverage import coverage, render
    from .runtime.locate import locate
    from .runtime.verify import read_manifest

    source = parse_source(args.module)
    if isinstance(source, LocalSource):
        from .builder import build_module

        manifest = build_module(source.directory, _root(args)).manifest
    else:
        version = source.version if "@" in args.module else None  # None: as import_ would choose
        manifest = read_manifest(locate(source.path, version, _root(args), settings()).directory)
    report = coverage(manifest)
    if args.json:
        print(json.dumps(report.as_json(), indent=1))
    else:
        print(render(report, verbose=not args.brief))
    return 0


def _cache_ls(args: argparse.Namespace) -> int:
    from . import cache

    found = cache.entries(_root(args))
    if args.json:
        print(json.dumps([e.as_json() for e in found], indent=1))
        return 0
    if not found:
        print(f"no artifacts under {_root(args)}")
        return 0
    rows = [("MODULE", "VERSION", "PLATFORM", "SIZE", "LAST USED", "PACKAGES")]
    rows += [
        (e.module, e.version, e.platform, human_size(e.size), _when(e.last_used), _packages(e.module, e.selection))
        for e in found
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return 0


def _cache_rm(args: argparse.Namespace) -> int:
    from . import cache

    root = _root(args)
    doomed = cache.select(root, args.spec)
    if not doomed:
        print(f"usegolib: nothing matches {args.spec} under {root}", file=sys.stderr)
        return 1
    return _remove(root, doomed, dry_run=args.dry_run)


def _cache_prune(args: argparse.Namespace) -> int:
    from . import cache

    if args.older_than is None and args.keep_latest is None:
        print("usegolib: cache prune needs --older-than DAYS and/or --keep-latest N", file=sys.stderr)
        return 2
    root = _root(args)
    doomed = cache.to_prune(root, older_than_days=args.older_than, keep_latest=args.keep_latest, now=time.time())
    if not doomed:
        print("nothing to prune")
        return 0
    return _remove(root, doomed, dry_run=args.dry_run)


def _remove(root: Path, doomed: list, *, dry_run: bool) -> int:
    from . import cache

    failed = 0
    for entry in doomed:
        label = f"{entry.module}@{entry.version} ({entry.platform}, {human_size(entry.size)})"
        if dry_run:
            print(f"would remove {label}")
            continue
        try:
            cache.remove(root, entry)
        except OSError as exc:
            failed += 1
            print(f"usegolib: cannot remove {label}: {exc}", file=sys.stderr)
        else:
            print(f"removed {label}")
    return 1 if failed else 0


def _packages(module: str, selection: list[str] | None) -> str:
    """What a library holds, short: "all", or its roots below the module
    ("bcrypt, blowfish/...")."""
    if selection is None:
        return "all"
    return ", ".join(root.removeprefix(module + "/") + "/..." for root in selection)


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def _non_negative(kind: type) -> Any:
    def parse(text: str) -> Any:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must not be negative: {text}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _version(args: argparse.Namespace) -> int:
    print(f"usegolib {__version__}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="usegolib", description="Call Go libraries from Python, in-process.")
    p.add_argument("--version", action="version", version=f"usegolib {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    build = sub.add_parser(
        "build",
        help="build a Go module into an artifact",
        description="Build a Go module into ROOT/<module>/<version>/<goos>-<goarch>/ "
        "(the shared library and manifest.json). An up-to-date artifact is not rebuilt.",
    )
    build.add_argument(
        "--module",
        required=True,
        metavar="DIR|PATH[@VERSION]",
        help="root directory of a local Go module, or an import path with an optional version (default latest)",
    )
    build.add_argument("--out", metavar="ROOT", help="artifact root (default: the usegolib cache)")
    build.add_argument("--force", action="store_true", help="rebuild even if the artifact is up to date")
    build.add_argument(
        "--generics", metavar="FILE", help='instantiations of generics to bridge: {"instantiations": [...]} (JSON)'
    )
    build.add_argument(
        "--packages",
        metavar="PKG,...",
        help="build only these packages of the module and those below them: import paths, or paths relative "
        "to the module (default: [tool.usegolib.packages], else the whole module)",
    )
    build.set_defaults(func=_build, root=None)

    stubs = sub.add_parser(
        "stubs",
        help="write .pyi stubs for a module's packages",
        description="Write type stubs for the packages of a Go module (building it if needed), as a tree "
        "that makes `import go.<module>` resolvable by mypy and pyright (MYPYPATH=DIR).",
    )
    stubs.add_argument("module", metavar="PATH", help="import path of the module or one of its packages")
    stubs.add_argument("--out", required=True, metavar="DIR", help="directory to write go/... stubs into")
    stubs.add_argument("--version", help="module version (default: as import_ chooses)")
    stubs.add_argument("--root", metavar="ROOT", help="artifact root (default: the usegolib cache)")
    stubs.set_defaults(func=_stubs)

    _add_package(sub)

    inspect = sub.add_parser(
        "inspect",
        help="report which functions and methods of a module are bridged",
        description="Print, per package, the exported functions and methods that are bridged and those "
        "skipped with the reason, and the coverage figure (building the module if needed).",
    )
    inspect.add_argument("module", metavar="DIR|PATH[@VERSION]", help="a local module directory or an import path")
    inspect.add_argument("--json", action="store_true", help="print JSON")
    inspect.add_argument("--brief", action="store_true", help="print only the figures per package")
    inspect.add_argument("--root", metavar="ROOT", help="artifact root (default: the usegolib cache)")
    inspect.set_defaults(func=_inspect)

    cache = sub.add_parser("cache", help="list and remove cached artifacts")
    cache.add_argument("--root", metavar="ROOT", help="artifact root (default: the usegolib cache)")
    cache_sub = cache.add_subparsers(dest="cache_command", required=True)
    ls = cache_sub.add_parser("ls", help="list artifacts")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=_cache_ls)
    rm = cache_sub.add_parser("rm", help="remove the artifacts of MODULE, or of one version")
    rm.add_argument("spec", metavar="MODULE[@VERSION]")
    rm.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    rm.set_defaults(func=_cache_rm)
    prune = cache_sub.add_parser("prune", help="remove old artifacts")
    prune.add_argument(
        "--older-than", type=_non_negative(float), metavar="DAYS", help="remove artifacts unused for DAYS days"
    )
    prune.add_argument(
        "--keep-latest", type=_non_negative(int), metavar="N", help="keep the N newest versions of each module"
    )
    prune.add_argument("--dry-run", action="store_true", help="only say what would be removed")
    prune.set_defaults(func=_cache_prune)

    version = sub.add_parser("version", help="print the usegolib version")
    version.set_defaults(func=_version)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (UsegolibError, ValueError, OSError) as exc:
        print(f"usegolib: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _add_package(sub: Any) -> None:
    """The `package` subcommand."""
    package = sub.add_parser(
        "package",
        help="make a pip-installable project (and wheels) of a Go module",
        description="Build a Go module for each platform and write OUT/NAME: a project whose package carries "
        "the prebuilt libraries, so that installing it needs no Go. --wheel also builds a wheel per platform "
        "into OUT/dist (needs hatchling: usegolib[build]).",
    )
    package.add_argument("--module", required=True, metavar="DIR|PATH[@VERSION]", help="the Go module")
    package.add_argument(
        "--python-package-name", required=True, metavar="NAME", help="the Python package (import) name"
    )
    package.add_argument("--out", required=True, metavar="OUT", help="directory to write OUT/NAME (and OUT/dist)")
    package.add_argument("--version", help="the Python package version (default: the Go module's, or 0.0.0)")
    package.add_argument(
        "--platform",
        action="append",
        metavar="GOOS/GOARCH",
        help="a target, repeatable: linux/amd64, linux/arm64, darwin/amd64, darwin/arm64, windows/amd64 "
        "(default: this machine)",
    )
    package.add_argument("--wheel", action="store_true", help="build the wheels into OUT/dist")
    package.add_argument("--generics", metavar="FILE", help="instantiations of generics to bridge (JSON)")
    package.add_argument(
        "--packages",
        metavar="A,B",
        help="ship only these packages of the module and those below them (default: [tool.usegolib.packages], "
        "else the whole module); with --force exactly these, else at least these",
    )
    package.add_argument("--force", action="store_true", help="rebuild the libraries even if up to date")
    package.add_argument("--root", metavar="ROOT", help="artifact root for the builds (default: the usegolib cache)")
    package.set_defaults(func=_package)
