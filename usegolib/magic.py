"""The ``%%go`` cell magic (``%load_ext usegolib``): a cell of Go built with
usegolib.inline and its exported names bound in the notebook, as
``from go.<module> import *`` would bind them (the typed view: records are
dataclasses). ``%%go --name geo`` binds the package as ``geo`` instead.

Only usegolib.load_ipython_extension imports this module, so that
``import usegolib`` never imports IPython."""

from __future__ import annotations

import keyword

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ._inline import inline
from .errors import BuildError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._inline import Where


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(GoMagics)


@magics_class
class GoMagics(Magics):
    @magic_arguments()
    @argument(
        "--name",
        help="the Go package's name, and the one name the cell binds (the package); "
        "without it, every exported name of the cell is bound",
    )
    @argument(
        "--requires",
        action="append",
        default=[],
        metavar="MODULE@VERSION",
        help="a module the cell imports from, at an exact version (repeat for more)",
    )
    @cell_magic
    def go(self, line: str, cell: str) -> None:
        """Build the cell's Go (a package body: imports and declarations) and
        bind its exported names in the notebook. Build progress shows in the
        cell's output; compile errors name the cell's lines."""
        args = parse_argstring(self.go, line)
        if args.name is not None and keyword.iskeyword(args.name):
            raise UsageError(f"%%go --name {args.name}: a Python keyword cannot name the package it binds")
        where = cell_position(self.cell_number())
        try:
            package = inline(cell, requires=requires(args.requires), name=args.name, where=where)
        except ValueError as exc:  # a name or requirement refused before anything is built
            raise UsageError(f"%%go: {exc}") from None
        except BuildError as exc:
            raise CellBuildError(str(exc)) from None
        typed = package.typed()
        bound = {args.name: typed} if args.name else {name: getattr(typed, name) for name in typed.__all__}
        self.shell_().push(bound)

    def cell_number(self) -> int:
        """The running cell's number (In [N]). IPython counts the cell before
        running it since late 2025 (ipython/ipython#15088), after it
        before: the display hook's count is the cell's in both."""
        count = getattr(getattr(self.shell, "displayhook", None), "prompt_count", None)
        return count if isinstance(count, int) else int(self.shell_().execution_count)

    def shell_(self) -> Any:
        # Magics of a registered class always have their shell.
        assert self.shell is not None
        return self.shell


class CellBuildError(BuildError):
    """A %%go cell that does not build. IPython shows its message alone
    (_render_traceback_): the compiler's lines say it all, a traceback
    through usegolib's build would bury them."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def requires(specs: list[str]) -> dict[str, str]:
    """--requires MODULE@VERSION arguments as inline's requires."""
    found: dict[str, str] = {}
    for spec in specs:
        module, at, version = spec.partition("@")
        if not at or not module or not version:
            raise ValueError(f"--requires {spec}: write MODULE@VERSION, e.g. --requires github.com/google/uuid@v1.6.0")
        found[module] = version
    return found


def cell_position(cell_number: int) -> Where:
    """Positions in a cell as the notebook numbers its lines: the %%go line
    is line 1, so the cell's Go starts at line 2."""

    def where(line: int, column: int | None) -> str:
        text = f"cell {cell_number}, line {line + 1}"
        return f"{text}, column {column}" if column is not None else text

    return where
