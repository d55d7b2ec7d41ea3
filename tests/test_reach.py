"""Real libraries, used as their Go users use them (issue 6): for each,
Python calls a representative set of functions and methods through
usegolib, and a small Go program (tests/reach/<name>/main.go, run with
`go run`) computes the same values with the library itself. Needs the Go
module proxy; skipped with the reason when it is unreachable."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import tempfile
import types
import uuid as pyuuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import usegolib
from usegolib import Ref
from usegolib.artifact import host_platform
from usegolib.builder.toolchain import find_toolchain
from usegolib.coverage import coverage

from .test_real_proxy import proxy_unreachable

REACH = Path(__file__).parent / "reach"

Case = Callable[[Any], Any]


@dataclass(frozen=True)
class Library:
    module: str
    version: str
    program: str  # directory under tests/reach, and key of libraries.json
    cases: dict[str, Case]


def _uuid_cases() -> dict[str, Case]:
    text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"

    def error_of(call: Callable[[], Any]) -> str:
        try:
            call()
        except usegolib.errors.GoError as exc:
            return str(exc)
        raise AssertionError("no error")

    def dce(h: Any) -> Any:
        return h.NewDCESecurity(h.Person, 4242)

    return {
        "parse": lambda h: h.Parse(text),
        "sha1": lambda h: h.NewSHA1(h.vars.NameSpaceDNS, b"python.org"),
        "md5": lambda h: h.NewMD5(h.vars.NameSpaceURL, b"https://go.dev"),
        "version": lambda h: h.UUID.Version(h.MustParse(text)),
        "version_string": lambda h: h.Version.String(h.UUID.Version(h.MustParse(text))),
        "variant": lambda h: h.Variant.String(h.UUID.Variant(h.MustParse(text))),
        "urn": lambda h: h.UUID.URN(h.MustParse(text)),
        "time": lambda h: h.UUID.Time(h.MustParse(text)),
        "clock_sequence": lambda h: h.UUID.ClockSequence(h.MustParse(text)),
        "node_id": lambda h: h.UUID.NodeID(h.MustParse(text)).hex(),
        "parse_error": lambda h: error_of(lambda: h.Parse("not-a-uuid")),
        "validate": lambda h: h.Validate(text) is None,
        "from_bytes": lambda h: h.FromBytes(bytes(range(16))),
        "parse_bytes": lambda h: h.ParseBytes(b"{" + text.encode() + b"}"),
        "parse_urn": lambda h: h.Parse("urn:uuid:" + text),
        "namespace_oid": lambda h: h.vars.NameSpaceOID,
        "nil": lambda h: h.vars.Nil,
        "dce_id": lambda h: h.UUID.ID(dce(h)),
        "dce_domain": lambda h: h.Domain.String(h.UUID.Domain(dce(h))),
    }


def _humanize_cases() -> dict[str, Case]:
    t0 = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    return {
        "bytes": lambda h: h.Bytes(82854982),
        "ibytes": lambda h: h.IBytes(82854982),
        "comma": lambda h: h.Comma(-1234567),
        "commaf": lambda h: h.Commaf(1234567.891),
        "ordinal": lambda h: h.Ordinal(22),
        "ftoa": lambda h: h.Ftoa(2.50),
        "ftoa_digits": lambda h: h.FtoaWithDigits(3.14159, 3),
        "si": lambda h: h.SI(0.00000023, "F"),
        "si_digits": lambda h: h.SIWithDigits(1234567, 2, "B"),
        "parse_bytes": lambda h: h.ParseBytes("42 MB"),
        "parse_si": lambda h: h.ParseSI("2.2345 pF"),
        "compute_si": lambda h: h.ComputeSI(0.00023),
        "parse_commaf": lambda h: h.ParseCommaf("1,234,567.5"),
        "rel_time": lambda h: h.RelTime(t0, t0 + timedelta(hours=3), "ago", "from now"),
        "big_bytes": lambda h: h.BigBytes(10**20),
        "big_comma": lambda h: h.BigComma(7**30),
        "format_float": lambda h: h.FormatFloat("#,###.##", 1234567.891),
        "format_int": lambda h: h.FormatInteger("#.###,", 1234567),
        "word_series": lambda h: h.english.WordSeries(["a", "b", "c"], "and"),
        "oxford_series": lambda h: h.english.OxfordWordSeries(["a", "b", "c"], "or"),
        "plural": lambda h: h.english.Plural(3, "mouse", "mice"),
        "plural_word": lambda h: h.english.PluralWord(2, "bus", ""),
    }


def _semver_cases() -> dict[str, Case]:
    def sorted_versions(h: Any) -> list[str]:
        versions = [h.MustParse(v) for v in ("1.2.3", "1.0", "1.3", "2.0.0", "0.4.2")]
        return [v.String() for v in sorted(versions, key=functools.cmp_to_key(lambda a, b: a.Compare(b)))]

    def validate(h: Any) -> list[Any]:
        ok, errors = h.NewConstraint(">= 1.2, < 2.0").Validate(h.MustParse("2.1.0"))
        return [ok, len(errors)]

    def strict_error(h: Any) -> str:
        with pytest.raises(usegolib.errors.GoError) as caught:
            h.StrictNewVersion("1.2")
        return str(caught.value)

    v = "1.2.3-beta.1+build.5"
    return {
        "string": lambda h: h.MustParse(v).String(),
        "original": lambda h: h.MustParse(v).Original(),
        "parts": lambda h: [h.MustParse(v).Major(), h.MustParse(v).Minor(), h.MustParse(v).Patch()],
        "prerelease": lambda h: h.MustParse(v).Prerelease(),
        "metadata": lambda h: h.MustParse(v).Metadata(),
        "inc_minor": lambda h: h.MustParse(v).IncMinor().String(),
        "inc_patch": lambda h: h.MustParse("1.2.3").IncPatch().String(),
        "inc_major": lambda h: h.MustParse(v).IncMajor().String(),
        "compare": lambda h: h.MustParse("1.2.3").Compare(h.MustParse("1.10.0")),
        "less_than": lambda h: h.MustParse("1.2.3").LessThan(h.MustParse("1.2.4")),
        "equal": lambda h: h.MustParse("1.2").Equal(h.MustParse("1.2.0")),
        "check": lambda h: h.NewConstraint(">= 1.2, < 2.0").Check(h.MustParse("1.5.0")),
        "check_fails": lambda h: h.NewConstraint(">= 1.2, < 2.0").Check(h.MustParse("2.1.0")),
        "validate": validate,
        "constraint": lambda h: h.NewConstraint(">= 1.2, < 2.0").String(),
        "strict_error": strict_error,
        "sorted": sorted_versions,
        "set_prerelease": lambda h: h.MustParse("1.2.3").SetPrerelease("rc.1").String(),
        "coerce": lambda h: h.MustParse("v2").String(),
    }


GJSON_DOC = """{"name":{"first":"Tom","last":"Anderson"},"age":37,"children":["Sara","Alex","Jack"],
"fav.movie":"Deer Hunter","friends":[{"first":"Dale","last":"Murphy","age":44,"nets":["ig","fb","tw"]},
{"first":"Roger","last":"Craig","age":68,"nets":["fb","tw"]},{"first":"Jane","last":"Murphy","age":47,"nets":["ig","tw"]}],
"ratio":0.25,"active":true,"nothing":null}"""


def _gjson_cases() -> dict[str, Case]:
    doc = GJSON_DOC

    def get(h: Any, path: str) -> Any:
        return h.Get(doc, path)

    def for_each(h: Any) -> list[str]:
        keys: list[str] = []
        get(h, "name").ForEach(lambda key, _: keys.append(key.String()) or True)
        return keys

    def for_each_stop(h: Any) -> list[str]:
        first: list[str] = []
        get(h, "friends.#.first").ForEach(lambda _, value: first.append(value.String()) or len(first) < 2)
        return first

    return {
        "get_string": lambda h: get(h, "name.last").String(),
        "get_int": lambda h: get(h, "age").Int(),
        "get_float": lambda h: get(h, "ratio").Float(),
        "get_bool": lambda h: get(h, "active").Bool(),
        "count": lambda h: get(h, "children.#").Int(),
        "wildcard": lambda h: get(h, "child*.2").String(),
        "escaped": lambda h: get(h, r"fav\.movie").String(),
        "query": lambda h: get(h, 'friends.#(last=="Murphy")#.first').Raw,
        "query_number": lambda h: get(h, "friends.#(age>45)#.last").Raw,
        "modifier": lambda h: get(h, "children|@reverse").Raw,
        "exists": lambda h: [get(h, "name").Exists(), get(h, "nope").Exists()],
        "type": lambda h: [h.Type.String(get(h, "age").Type), h.Type.String(get(h, "nothing").Type)],
        "many": lambda h: [r.String() for r in h.GetMany(doc, "name.first", "age", "missing")],
        "array": lambda h: [r.String() for r in get(h, "children").Array()],
        "map_len": lambda h: len(get(h, "friends.0").Map()),
        "valid": lambda h: [h.Valid(doc), h.Valid('{"a":')],
        "parse_get": lambda h: h.Parse(doc).Get("friends.1.nets.0").String(),
        "raw": lambda h: get(h, "name").Raw,
        "escape": lambda h: h.Escape("a.b*c"),
        "index": lambda h: get(h, "age").Index,
        "less": lambda h: get(h, "friends.0.age").Less(get(h, "friends.1.age"), True),
        "for_each": for_each,
        "for_each_stop": for_each_stop,
    }


def _text_cases() -> dict[str, Case]:
    def tag(h: Any) -> Any:
        return h.language.MustParse("sr-Latn-RS")

    def parts(h: Any) -> list[str]:
        return [part.String() for part, _ in (tag(h).Base(), tag(h).Script(), tag(h).Region())]

    def match(h: Any) -> list[Any]:
        language = h.language
        matcher = language.NewMatcher([language.vars.English, language.vars.French, language.vars.German])
        matched, index, confidence = matcher.Match(language.MustParse("fr-CH"))
        return [matched.String(), index, language.Confidence.String(confidence)]

    def accepted(h: Any) -> list[str]:
        tags, _weights = h.language.ParseAcceptLanguage("da, en-gb;q=0.8, en;q=0.7")
        return [t.String() for t in tags]

    def region(h: Any) -> Any:
        return tag(h).Region()[0]

    def norm(h: Any, form: str, text: str) -> str:
        return h.unicode.norm.Form.String(getattr(h.unicode.norm, form), text)

    return {
        "upper": lambda h: h.cases.Upper(h.language.vars.Und).String("hello, gopher"),
        "lower_turkish": lambda h: h.cases.Lower(h.language.vars.Turkish).String("İSTANBUL"),
        "title": lambda h: h.cases.Title(h.language.vars.Dutch).String("ijsselmeer en de wadden"),
        "title_no_lower": lambda h: h.cases.Title(h.language.vars.English, h.cases.vars.NoLower).String(
            "the iPhone story"
        ),
        "fold": lambda h: h.cases.Fold().String("Straße"),
        "tag": lambda h: tag(h).String(),
        "parts": parts,
        "parent": lambda h: tag(h).Parent().String(),
        "match": match,
        "accept_language": accepted,
        "compose": lambda h: h.language.Make("en-US").String(),
        "display": lambda h: h.language.display.vars.English.Tags().Name(h.language.MustParse("de-CH")),
        "self_name": lambda h: h.language.display.vars.Self.Name(h.language.vars.Japanese),
        "printer": lambda h: h.message.NewPrinter(h.language.vars.German).Sprintf("%d", 1234567),
        "nfc": lambda h: norm(h, "NFC", "e\u0301"),
        "nfd_len": lambda h: len(norm(h, "NFD", "é").encode()),
        "nfkc": lambda h: norm(h, "NFKC", "ｶﾞ①"),
        "is_normal": lambda h: h.unicode.norm.Form.IsNormalString(h.unicode.norm.NFC, "é"),
        "width_fold": lambda h: h.width.vars.Fold.String("\uff21\uff22\uff23\uff11\uff12\uff13"),  # fullwidth ABC123
        "width_widen": lambda h: h.width.vars.Widen.String("abc"),
        "region_iso3": lambda h: region(h).ISO3(),
        "region_is_country": lambda h: region(h).IsCountry(),
    }


def _gonum_cases() -> dict[str, Case]:
    xs = [2.0, 4, 4, 4, 5, 5, 7, 9]
    ys = [1.0, 3, 2, 5, 4, 6, 8, 9]
    weights = [1.0, 2, 1, 1, 1, 2, 1, 1]

    def regression(h: Any) -> tuple[float, float]:
        return h.stat.LinearRegression(xs, ys, None, False)

    def inverse(h: Any) -> list[float]:
        inv = h.mat.Dense()
        inv.Inverse(h.mat.NewDense(2, 2, [4.0, 7, 2, 6]))
        return [inv.At(i, j) for i in range(2) for j in range(2)]

    def normal(h: Any) -> Any:
        return h.stat.distuv.Normal(Mu=0.0, Sigma=1.0)

    return {
        "mean": lambda h: h.stat.Mean(xs, None),
        "weighted_mean": lambda h: h.stat.Mean(xs, weights),
        "variance": lambda h: h.stat.Variance(xs, None),
        "std_dev": lambda h: h.stat.StdDev(xs, None),
        "mean_std_dev": lambda h: h.stat.MeanStdDev(xs, weights),
        "correlation": lambda h: h.stat.Correlation(xs, ys, None),
        "covariance": lambda h: h.stat.Covariance(xs, ys, None),
        "quantile": lambda h: h.stat.Quantile(0.5, h.stat.Empirical, sorted(xs), None),
        "linear_regression": regression,
        "r_squared": lambda h: h.stat.RSquared(xs, ys, None, *regression(h)),
        "skew": lambda h: h.stat.Skew(xs, None),
        "entropy": lambda h: h.stat.Entropy([0.25, 0.25, 0.5]),
        "kl_divergence": lambda h: h.stat.KullbackLeibler([0.5, 0.5], [0.9, 0.1]),
        "mode": lambda h: [h.stat.Mode(xs, None)[0]],
        "floats_sum": lambda h: h.floats.Sum(xs),
        "floats_max": lambda h: h.floats.Max(ys),
        "floats_dot": lambda h: h.floats.Dot(xs, ys),
        "det": lambda h: h.mat.Det(h.mat.NewDense(2, 2, [4.0, 7, 2, 6])),
        "inverse": inverse,
        "normal_cdf": lambda h: normal(h).CDF(1.96),
        "normal_quantile": lambda h: normal(h).Quantile(0.975),
    }


def _error_text(call: Callable[[], Any], error: type[BaseException] = usegolib.errors.GoError) -> str:
    with pytest.raises(error) as caught:
        call()
    return str(caught.value)


def _yaml_cases() -> dict[str, Case]:
    doc = b"name: go\ntags: [a, b]\nn: 3\n"

    def into(h: Any, ref: Ref, data: bytes = doc) -> Any:
        h.Unmarshal(data, ref)
        return ref.value

    def node_kinds(h: Any) -> list[Any]:
        node = into(h, Ref(h.types.Node))
        return [node.Kind, node.Content[0].Kind, len(node.Content[0].Content)]

    def type_error(h: Any) -> list[Any]:
        with pytest.raises(h.TypeError) as caught:  # yaml's *TypeError: an exception class of its name
            h.Unmarshal(b"[1]", Ref(int))
        return [True, str(caught.value)]

    return {
        "unmarshal_any": lambda h: into(h, Ref()),
        "unmarshal_dict": lambda h: into(h, Ref(dict)),
        "node_kinds": node_kinds,
        "marshal": lambda h: h.Marshal({"a": [1, 2], "b": "x"}).decode(),
        "syntax_error": lambda h: _error_text(lambda: h.Unmarshal(b"a: [1", Ref())),
        "type_error": type_error,
        "unmarshal_list": lambda h: into(h, Ref(list), b"[1, two, 3.5]"),
        "unmarshal_value": lambda h: into(h, Ref(str), b"hello"),
    }


def _toml_cases() -> dict[str, Case]:
    doc = 'title = "TOML Example"\n\n[owner]\nname = "Tom"\n\n[database]\nports = [8000, 8001]\nenabled = true\n'

    def decoded(h: Any) -> tuple[Any, Any]:
        v = Ref(dict)
        meta = h.Decode(doc, v)
        return v.value, meta

    def encode(h: Any) -> str:
        out = io.BytesIO()
        h.NewEncoder(out).Encode({"name": "x", "n": 2})
        return out.getvalue().decode()

    def parse_error(h: Any) -> list[Any]:
        with pytest.raises(h.ParseError) as caught:
            h.Decode("title = = 1", Ref(dict))
        return [True, caught.value.Position.Line, caught.value.Position.Col]

    return {
        "decode": lambda h: decoded(h)[0],
        "keys": lambda h: [h.Key.String(k) for k in decoded(h)[1].Keys()],  # toml.Key: a value class
        "is_defined": lambda h: decoded(h)[1].IsDefined("owner", "name"),
        "encode": encode,
        "parse_error": parse_error,
        "error_text": lambda h: _error_text(lambda: h.Decode("title = = 1", Ref(dict))),
        "undecoded": lambda h: len(decoded(h)[1].Undecoded()),
        "marshal": lambda h: h.Marshal({"a": 1}).decode(),
    }


def _goldmark_cases() -> dict[str, Case]:
    sources = {
        "heading": "# Hello\n",
        "emphasis": "some *emphasis* and **strong**\n",
        "list": "- a\n- b\n",
        "code": "```go\nx := 1\n```\n",
        "link": "[go](https://go.dev)\n",
    }

    def convert(h: Any, source: str) -> str:
        out = io.BytesIO()
        h.Convert(source.encode(), out)
        return out.getvalue().decode()

    def into_a_file(h: Any) -> str:  # a real file, not only BytesIO
        with tempfile.TemporaryFile() as f:
            h.New().Convert(b"## Two\n", f)
            f.seek(0)
            return f.read().decode()

    cases: dict[str, Case] = {name: functools.partial(convert, source=src) for name, src in sources.items()}
    cases["new_convert"] = into_a_file
    return cases


def _decimal_cases() -> dict[str, Case]:
    def total(h: Any) -> Any:
        price, qty = h.NewFromString("136.02"), h.NewFromInt(3)
        fee, tax = h.NewFromString(".035"), h.NewFromString(".08875")
        pre_tax = price.Mul(qty).Mul(fee.Add(h.NewFromFloat(1)))
        return pre_tax, pre_tax.Mul(tax.Add(h.NewFromFloat(1)))

    d = "RequireFromString"
    return {
        "subtotal": lambda h: str(h.NewFromString("136.02").Mul(h.NewFromInt(3))),
        "pre_tax": lambda h: str(total(h)[0]),
        "total": lambda h: str(total(h)[1]),
        "per_item": lambda h: str(total(h)[1].Div(h.NewFromInt(3))),
        "round": lambda h: str(total(h)[1].Round(2)),
        "equal": lambda h: getattr(h, d)("1.5") == getattr(h, d)("1.50"),
        "cmp": lambda h: getattr(h, d)("1.5").Cmp(getattr(h, d)("2")),
        "sorted": lambda h: [str(v) for v in sorted(getattr(h, d)(x) for x in ("2.5", "-1", "10"))],
        "repr": lambda h: repr(getattr(h, d)("1.5")),
        "string_fixed": lambda h: getattr(h, d)("3.14159").StringFixed(2),
    }


def _runewidth_cases() -> dict[str, Case]:
    def condition(h: Any, east_asian: bool) -> Any:
        cond = h.NewCondition()
        cond.EastAsianWidth = east_asian  # a settable field
        return cond

    return {
        "string_width": lambda h: h.StringWidth("つのだ☆HIRO"),
        "rune_width": lambda h: h.RuneWidth("つ"),  # a rune as a 1-character str
        "rune_width_a": lambda h: h.RuneWidth("a"),
        "east_asian": lambda h: condition(h, True).RuneWidth("☆"),
        "not_east_asian": lambda h: condition(h, False).RuneWidth("☆"),
        "truncate": lambda h: h.Truncate("つのだ☆HIRO", 7, "..."),
        "fill_left": lambda h: h.FillLeft("x", 4),
        "fill_right": lambda h: h.FillRight("つ", 4),
        "wrap": lambda h: h.Wrap("つのだ☆HIRO", 4),
    }


def _sprig_cases() -> dict[str, Case]:
    """The Go program runs templates with sprig's funcs; Python, which has
    no text/template, calls the same funcs of the pipeline in turn: Go funcs
    found inside sprig's FuncMap, called from Python."""

    def funcs(h: Any) -> Any:
        return h.TxtFuncMap()

    return {
        "upper": lambda h: h.FuncMap()["upper"]("x"),
        "repeat": lambda h: h.FuncMap()["repeat"](3, "ab"),
        "trunc": lambda h: h.FuncMap()["trunc"](3, "abcdef"),
        "template": lambda h: funcs(h)["repeat"](2, funcs(h)["upper"]("gopher")),
        "default": lambda h: funcs(h)["default"]("none", None),
        "join": lambda h: funcs(h)["join"]("-", funcs(h)["list"]("a", "b")),
        "has_funcs": lambda h: len(h.FuncMap()) > 100,
    }


def _gojq_cases() -> dict[str, Case]:
    data = {"foo": [1, 2, 3], "bar": {"baz": "x"}}

    def run(h: Any, query: str) -> list[Any]:
        out = []
        for value in h.Parse(query).Run(data):  # Next() (any, bool): Python iteration
            out.append(f"error: {value}" if isinstance(value, usegolib.GoObject) else value)
        return out

    return {
        "select": lambda h: run(h, ".foo[] | select(. > 1)"),
        "keys": lambda h: run(h, "keys"),
        "recurse": lambda h: run(h, ".. | numbers"),
        "error_value": lambda h: run(h, ".bar.baz.qux"),
        "construct": lambda h: run(h, "{a: .foo[0], b: .bar.baz}"),
        "parse_error": lambda h: _error_text(lambda: h.Parse(".foo |"), error=h.ParseError),
        "length": lambda h: run(h, ".foo | length"),
    }


def _lru_cases() -> dict[str, Case]:
    def cache(h: Any) -> tuple[Any, bool]:
        c = h.New(2)  # lru.New[any, any]: no generics file
        c.Add("a", 1)
        c.Add("b", 2)
        return c, c.Add("c", 3)

    def after_delete(h: Any) -> list[Any]:
        c, _ = cache(h)
        c.Get("a")
        c.Get("c")
        c.Remove("b")
        return c.Keys()

    return {
        "evicted": lambda h: cache(h)[1],
        "get_a": lambda h: list(cache(h)[0].Get("a")),
        "get_c": lambda h: list(cache(h)[0].Get("c")),
        "peek": lambda h: cache(h)[0].Peek("b")[0],
        "keys": lambda h: cache(h)[0].Keys(),
        "len": lambda h: len(cache(h)[0]),
        "contains": lambda h: cache(h)[0].Contains("c"),
        "after_del": after_delete,
    }


def _expr_cases() -> dict[str, Case]:
    env = {"x": 3, "items": [1, 2, 3], "name": "go"}

    def compiled(h: Any) -> Any:
        program = h.Compile("x * 2 + len(items)", h.Env(env))
        return h.Run(program, env)

    return {
        "arith": lambda h: h.Eval("1 + 2 * x", env),
        "filter": lambda h: h.Eval("filter(items, # > 1)", env),
        "string": lambda h: h.Eval('name + "pher"', env),
        "compare": lambda h: h.Eval("x > 2 && name == 'go'", env),
        "compile": compiled,
        "error": lambda h: "error: " + _error_text(lambda: h.Eval("1 +", env)),
    }


def _bcrypt_cases() -> dict[str, Case]:
    def hashed(h: Any) -> bytes:
        return h.bcrypt.GenerateFromPassword(b"secret", 4)

    def mismatch(h: Any) -> bool:
        with pytest.raises(h.bcrypt.ErrMismatchedHashAndPassword):
            h.bcrypt.CompareHashAndPassword(hashed(h), b"wrong")
        return True

    def too_short(h: Any) -> bool:
        with pytest.raises(h.bcrypt.ErrHashTooShort):
            h.bcrypt.CompareHashAndPassword(b"x", b"x")
        return True

    return {
        "matches": lambda h: h.bcrypt.CompareHashAndPassword(hashed(h), b"secret") is None,
        "mismatch": mismatch,
        "mismatch_msg": lambda h: _error_text(lambda: h.bcrypt.CompareHashAndPassword(hashed(h), b"wrong")),
        "cost": lambda h: h.bcrypt.Cost(hashed(h)),
        "cost_error": lambda h: _error_text(lambda: h.bcrypt.GenerateFromPassword(b"x", 99)),
        "too_short": too_short,
    }


def _zstd_cases() -> dict[str, Case]:
    data = b"usegolib streams zstd " * 20000

    def compressed(h: Any) -> bytes:
        out = io.BytesIO()
        with h.zstd.NewWriter(out) as writer:  # a Go io.WriteCloser as a Python file
            shutil.copyfileobj(io.BytesIO(data), writer)
        return out.getvalue()

    def back(h: Any) -> bytes:
        return h.zstd.NewReader(io.BytesIO(compressed(h))).read()

    return {
        "round_trip": lambda h: back(h) == data,
        "sha256": lambda h: hashlib.sha256(back(h)).hexdigest(),
        "smaller": lambda h: len(compressed(h)) < len(data) // 10,
        "reader_made": lambda h: h.zstd.NewReader(io.BytesIO(b"not zstd")) is not None,
    }


def _goja_cases() -> dict[str, Case]:
    def vm(h: Any) -> Any:
        machine = h.New()
        machine.Set("greet", lambda name: f"hello {name}")  # a Python function JavaScript calls
        machine.Set("shout", lambda text: text.upper())
        return machine

    return {
        "call_host": lambda h: str(vm(h).RunString('greet("js") + " " + (1 + 2)')),
        "array": lambda h: vm(h).RunString("[1, 2, 3].map(x => x * 2)").Export(),
        "object": lambda h: vm(h).RunString('({a: 1, b: "two"})').Export(),
        "exception": lambda h: _error_text(lambda: vm(h).RunString('throw new Error("boom")'), error=h.Exception),
        "chained": lambda h: vm(h).RunString('shout(greet("py"))').Export(),
    }


def _cel_cases() -> dict[str, Case]:
    def evaluate(h: Any, expression: str) -> Any:
        cel = h.cel
        env = cel.NewEnv(cel.Variable("name", cel.vars.StringType), cel.Variable("n", cel.vars.IntType))
        ast, issues = env.Compile(expression)
        if issues is not None:
            try:
                issues.Err()  # Err() error: raises the error it returns
            except usegolib.errors.GoError as exc:
                return f"error: {exc}"
        out, _details = env.Program(ast).Eval({"name": "CEL", "n": 3})
        return out.Value()

    return {
        "greeting": lambda h: evaluate(h, '"Hello world! I\'m " + name + "."'),
        "arith": lambda h: evaluate(h, "n * 2 + 1"),
        "compare": lambda h: evaluate(h, "n > 2 && name.startsWith('C')"),
        "bad": lambda h: evaluate(h, "n +"),
    }


# Which module and version each program is about: shared with docs/coverage.py.
SPECS = json.loads((REACH / "libraries.json").read_text(encoding="utf-8"))


def _excelize_cases() -> dict[str, Case]:
    """A large module (issue 18): a workbook made, written to a Python
    stream and to a path, and read back."""

    def workbook(h: Any) -> Any:
        f = h.NewFile()
        f.SetCellValue("Sheet1", "A1", "hello")
        f.SetCellValue("Sheet1", "B2", 42)
        f.SetCellFormula("Sheet1", "C3", "B2*2")
        return f

    def stream(h: Any) -> list[str]:
        buffer = io.BytesIO()
        workbook(h).Write(buffer)
        back = h.OpenReader(io.BytesIO(buffer.getvalue()))
        return [back.GetCellValue("Sheet1", "A1"), back.GetCellValue("Sheet1", "B2")]

    def path_rows(h: Any) -> Any:
        with tempfile.TemporaryDirectory() as directory:
            path = str(Path(directory) / "book.xlsx")
            workbook(h).SaveAs(path)
            return h.OpenFile(path).GetRows("Sheet1")

    def sheets(h: Any) -> list[str]:
        f = workbook(h)
        f.NewSheet("Data")
        return list(f.GetSheetList())

    return {
        "a1": lambda h: workbook(h).GetCellValue("Sheet1", "A1"),
        "b2": lambda h: workbook(h).GetCellValue("Sheet1", "B2"),
        "formula": lambda h: workbook(h).GetCellFormula("Sheet1", "C3"),
        "new_sheet": lambda h: workbook(h).NewSheet("Data"),
        "sheets": sheets,
        "stream": stream,
        "path_rows": path_rows,
        "cell_name": lambda h: h.CoordinatesToCellName(3, 7),
        "coordinates": lambda h: list(h.CellNameToCoordinates("AB12")),
        "column_name": lambda h: h.ColumnNumberToName(28),
        "bad_cell": lambda h: _error_text(lambda: h.CellNameToCoordinates("1A")),
    }


CASES = {
    "uuid": _uuid_cases(),
    "humanize": _humanize_cases(),
    "semver": _semver_cases(),
    "gjson": _gjson_cases(),
    "text": _text_cases(),
    "gonum": _gonum_cases(),
    "yaml": _yaml_cases(),
    "toml": _toml_cases(),
    "goldmark": _goldmark_cases(),
    "decimal": _decimal_cases(),
    "runewidth": _runewidth_cases(),
    "sprig": _sprig_cases(),
    "gojq": _gojq_cases(),
    "lru": _lru_cases(),
    "expr": _expr_cases(),
    "bcrypt": _bcrypt_cases(),
    "zstd": _zstd_cases(),
    "goja": _goja_cases(),
    "cel": _cel_cases(),
    "excelize": _excelize_cases(),
}
LIBRARIES = {name: Library(SPECS[name]["module"], SPECS[name]["version"], name, cases) for name, cases in CASES.items()}


def _plain(value: Any) -> Any:
    """A Python result as the Go program's JSON has it."""

    def default(obj: Any) -> Any:
        if isinstance(obj, pyuuid.UUID):
            return str(obj)
        if isinstance(obj, bytes):
            return obj.hex()
        if isinstance(obj, datetime):
            return obj.astimezone(timezone.utc).isoformat()
        if isinstance(obj, timedelta):
            return obj.total_seconds()
        raise TypeError(f"no JSON form for {type(obj).__name__}")

    return json.loads(json.dumps(value, default=default))


def _expected(library: Library, tmp: Path) -> dict[str, Any]:
    """Run the library's Go program in a module that requires it."""
    work = tmp / library.program
    work.mkdir()
    shutil.copy(REACH / library.program / "main.go", work / "main.go")
    (work / "go.mod").write_text(f"module reachcheck\n\ngo 1.23\n\nrequire {library.module} {library.version}\n")
    # Compiled as usegolib compiles the library (position-independent, with
    # -trimpath and the same C compiler), so Go reuses the packages the
    # artifact's build compiled instead of compiling the library again.
    host = host_platform()
    toolchain = find_toolchain(host)
    env = toolchain.env(host)
    for args in (["mod", "tidy"], ["run", "-buildmode=pie", "-trimpath", "."]):
        done = subprocess.run(
            [toolchain.go, *args], cwd=work, env=env, capture_output=True, text=True, timeout=900, check=False
        )
        assert done.returncode == 0, f"go {' '.join(args)} failed:\n{done.stderr}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def reach_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("reach-artifacts")


@pytest.fixture(scope="module")
def reached(request: pytest.FixtureRequest, reach_root: Path, tmp_path_factory: pytest.TempPathFactory):
    library: Library = LIBRARIES[request.param]
    reason = proxy_unreachable(f"{library.module}@{library.version}")
    if reason:
        pytest.skip(reason)
    handle = _imported(library, reach_root)
    return library, handle, _expected(library, tmp_path_factory.mktemp("reach-go"))


def _imported(library: Library, root: Path) -> Any:
    """The module, or for a library with a "build" list the closure of
    those packages (issue 18), built together as [tool.usegolib.packages]
    would, each package an attribute named after its last element."""
    packages = SPECS[library.program].get("build")
    if not packages:
        return usegolib.import_(library.module, version=library.version, artifact_dir=root)
    from usegolib.builder import build_module

    built = build_module(f"{library.module}@{library.version}", root, packages=packages)
    assert built.manifest["selection"] == packages
    held = [p["path"] for p in built.manifest["packages"]]
    assert held and all(any(p == r or p.startswith(r + "/") for r in packages) for p in held), held
    imported = {p.rsplit("/", 1)[1]: usegolib.import_(p, version=library.version, artifact_dir=root) for p in packages}
    namespace = types.SimpleNamespace(**imported)
    namespace._library = next(iter(imported.values()))._library
    return namespace


@pytest.mark.parametrize("reached", list(LIBRARIES), indirect=True)
def test_python_and_go_agree(reached):
    library, handle, expected = reached
    assert sorted(expected) == sorted(library.cases), "the Go program and the Python cases name different cases"
    # A representative set of calls; for the libraries tried for Go's idioms
    # (issue 16), the first examples of their READMEs.
    assert len(library.cases) >= (4 if SPECS[library.program].get("idioms") else 10)
    mismatches = {}
    for name, case in library.cases.items():
        got = _plain(case(handle))
        if got != expected[name]:
            mismatches[name] = {"python": got, "go": expected[name]}
    assert not mismatches, json.dumps(mismatches, indent=1)


def _coverage_page() -> Any:
    spec = importlib.util.spec_from_file_location("coverage_page", REACH.parent.parent / "docs" / "coverage.py")
    assert spec is not None and spec.loader is not None
    page = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(page)
    return page


@pytest.mark.parametrize("reached", list(LIBRARIES), indirect=True)
def test_docs_coverage_md_has_the_current_figures(reached):
    """docs/coverage.md is generated (python docs/coverage.py): it must say
    what this version of usegolib bridges of each library."""
    library, handle, _ = reached
    page = _coverage_page()
    report = coverage(handle._library.manifest)
    text = (REACH.parent.parent / "docs" / "coverage.md").read_text(encoding="utf-8")
    stale = "docs/coverage.md is out of date: run python docs/coverage.py"
    if SPECS[library.program].get("build"):
        # Built in part (issue 18): the figures of the packages built,
        # which the page lists for the whole module's artifact.
        listed = [pkg for pkg in report.packages if pkg.path in SPECS[library.program]["packages"]]
        assert listed
        for pkg in listed:
            assert f"- `{pkg.path}`: {pkg.bridged}/{len(pkg.members)}" in text, stale
        return
    assert page.row(report) in text, stale
    assert page.section(SPECS[library.program], report) in text, stale
