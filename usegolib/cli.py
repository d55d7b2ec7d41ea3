"""The ``usegolib`` command line (``python -m usegolib``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._version import __version__
from .errors import UsegolibError


def _build(args: argparse.Namespace) -> int:
    from .build import build_module
    from .build.summary import summary

    result = build_module(args.module, args.out)
    print(result.path)
    print(summary(result.manifest))
    return 0


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
        "(the shared library and manifest.json).",
    )
    build.add_argument("--module", required=True, metavar="DIR", help="root directory of the Go module")
    build.add_argument("--out", required=True, metavar="ROOT", help="artifact root to build into")
    build.set_defaults(func=_build)

    version = sub.add_parser("version", help="print the usegolib version")
    version.set_defaults(func=_version)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UsegolibError as exc:
        print(f"usegolib: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
