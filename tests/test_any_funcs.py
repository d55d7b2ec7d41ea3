"""Funcs inside `any`, both ways (issue 16, point 7): a Python callable
where Go wants `any` is a Go func; Go funcs inside `any` come back callable."""

from __future__ import annotations

import pytest

from usegolib.errors import ArgumentTypeError, GoError
from usegolib.runtime.handles import GoFunc


def test_python_callables_are_template_funcs(idioms):
    funcs = {"shout": lambda s: s.upper() + "!", "add": lambda a, b: a + b, "none": lambda: None}
    assert idioms.Render("{{shout .Name}} {{add 1 2}}{{none}}", funcs, {"Name": "go"}) == "GO! 3<no value>"


def test_an_exception_in_a_python_func_is_the_go_error_s_cause(idioms):
    with pytest.raises(GoError, match="error calling boom: Python callback raised ZeroDivisionError") as caught:
        idioms.Render("{{boom}}", {"boom": lambda: 1 / 0}, None)
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_go_funcs_inside_any_are_callable(idioms):
    helpers = idioms.Helpers()
    assert all(isinstance(f, GoFunc) for f in helpers.values())
    assert helpers["upper"]("x") == "X"
    assert helpers["repeat"]("ab", 3) == "ababab"
    assert helpers["join"](["a", "b"], "-") == "a-b"  # a list converted to []string
    assert helpers["div"](7, 2) == 3
    assert helpers["pair"]("go") == ["go", 2]
    assert "func(string) string" in repr(helpers["upper"])


def test_go_func_errors_and_wrong_arguments(idioms):
    helpers = idioms.Helpers()
    with pytest.raises(GoError, match="division by zero"):
        helpers["div"](1, 0)
    with pytest.raises(ArgumentTypeError, match="expected Go string, got int"):
        helpers["upper"](1)
    with pytest.raises(ArgumentTypeError, match="takes 2 arguments, got 1"):
        helpers["repeat"]("x")
