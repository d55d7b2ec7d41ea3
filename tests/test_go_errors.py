"""Go errors as exceptions Python code can catch (issue 16, point 4):
error variables and error types are exception classes, matched with Go's
errors.Is and errors.As; the standard library's have Python's own bases."""

from __future__ import annotations

import pickle

import pytest

import usegolib
from usegolib.errors import (
    DeadlineExceededError,
    GoEOFError,
    GoError,
    GoNotExistError,
    GoUnexpectedEOFError,
)


def test_an_error_variable_is_an_exception_class(idioms):
    assert issubclass(idioms.ErrEmpty, GoError)
    assert idioms.ErrEmpty.__module__ == "go.example_com.idioms"
    assert idioms.ErrEmpty.__doc__ == "ErrEmpty is returned for empty input."
    with pytest.raises(idioms.ErrEmpty) as caught:
        idioms.Parse("")
    assert str(caught.value) == "idioms: empty input"
    assert caught.value.go_type == "*errors.errorString"


def test_a_wrapped_error_variable_is_matched_like_errors_is(idioms):
    with pytest.raises(idioms.ErrTooLong) as caught:
        idioms.Parse("far too long for it")
    assert str(caught.value) == "parse: longer than 10"
    assert not isinstance(caught.value, idioms.ErrEmpty)


def test_an_error_type_is_an_exception_class_with_the_go_value_s_fields(idioms):
    with pytest.raises(idioms.SyntaxError) as caught:
        idioms.Parse("hi!")
    error = caught.value
    assert (error.Line, error.Column, error.Msg) == (1, 3, "unexpected !")
    assert str(error) == 'parse "hi!": 1:3: unexpected !'
    assert error.go_type == "*fmt.wrapError"
    assert isinstance(error.value, idioms.types.SyntaxError)  # the handle class stays in types
    assert error.chain == [("1:3: unexpected !", "*idioms.SyntaxError")]
    inner = error.unwrap()
    assert isinstance(inner, GoError) and inner.message == "1:3: unexpected !" and inner.unwrap() is None


def test_an_error_type_and_the_variable_it_wraps_both_match(idioms):
    with pytest.raises(idioms.LimitError) as caught:  # a value receiver's error type
        idioms.Parse("far too long for it")
    assert isinstance(caught.value, idioms.ErrTooLong)
    assert caught.value.Limit == 10


def test_errors_of_another_package_of_the_module_match(idioms_root, idioms):
    codes = usegolib.import_("example.com/idioms/codes", artifact_dir=idioms_root)
    with pytest.raises(codes.ErrRetired):
        idioms.Parse("old")


def test_joined_errors_match_each_of_them(idioms):
    with pytest.raises(idioms.ErrEmpty) as caught:
        idioms.Both()
    assert isinstance(caught.value, idioms.SyntaxError)
    assert caught.value.Line == 2
    assert [go_type for _, go_type in caught.value.chain] == ["*errors.errorString", "*idioms.SyntaxError"]


def test_the_typed_view_raises_the_same_classes(idioms):
    typed = idioms.typed()
    assert typed.ErrEmpty is idioms.ErrEmpty
    with pytest.raises(idioms.SyntaxError):
        typed.Parse("a!")


def test_standard_library_errors_have_python_s_own_bases(idioms, tmp_path):
    with pytest.raises(FileNotFoundError) as missing:
        idioms.Open(str(tmp_path / "nowhere"))
    assert isinstance(missing.value, GoNotExistError)
    assert missing.value.go_type == "*fs.PathError"
    with pytest.raises(EOFError) as eof:
        idioms.Drain("")
    assert isinstance(eof.value, GoEOFError) and not isinstance(eof.value, GoUnexpectedEOFError)
    with pytest.raises(GoUnexpectedEOFError):
        idioms.Drain("x")
    with pytest.raises(TimeoutError) as late:
        idioms.Wait(1000, timeout=0.01)
    assert isinstance(late.value, DeadlineExceededError)


def test_an_error_of_an_unexported_type_keeps_its_text(idioms):
    with pytest.raises(GoError) as caught:
        idioms.Hidden()
    assert type(caught.value) is GoError
    assert str(caught.value) == "hidden: kept"
    assert caught.value.go_type == "*idioms.hiddenError"


def test_an_error_pickles_as_its_message(idioms, tmp_path):
    with pytest.raises(GoError) as caught:
        idioms.Parse("hi!")
    again = pickle.loads(pickle.dumps(caught.value))
    assert type(again) is GoError and again.message == caught.value.message
    with pytest.raises(GoError) as missing:
        idioms.Open(str(tmp_path / "nowhere"))
    assert type(pickle.loads(pickle.dumps(missing.value))) is GoNotExistError


def test_an_error_value_inside_any_reads_as_its_text(idioms):
    number, error = idioms.Results()
    assert number == 1
    assert str(error) == "hidden: in a list"
    assert error.go_type == "*idioms.hiddenError"


def test_a_named_non_struct_error_type_is_an_exception_class(idioms):
    with pytest.raises(idioms.Code) as caught:
        idioms.Fail(3)
    assert caught.value.value == 3 and str(caught.value) == "failed: code 3"
    assert idioms.types.Code(3).Error() == "code 3"  # the value class stays in types
