"""Coverage (`usegolib inspect`): every exported function and method of a
module is either bridged or skipped with a reason."""

from __future__ import annotations

import json

from usegolib.coverage import coverage, render

from .conftest import FIXTURES, run_cli


def kitchen_coverage(kitchen):
    return coverage(kitchen._library.manifest)


def test_every_exported_function_and_method_is_bridged_or_skipped_with_a_reason(kitchen):
    report = kitchen_coverage(kitchen)
    assert report.unaccounted() == []
    members = {f"{p.path}.{m.name}": m for p in report.packages for m in p.members}
    assert members["example.com/kitchen.AddInt"].bridged
    assert members["example.com/kitchen.Counter.Add"].bridged
    assert "a Python function cannot stand for it" in members["example.com/kitchen.Watch"].reason
    assert "channel of unsafe.Pointer" in members["example.com/kitchen.Ticks"].reason
    assert report.total == len(members)
    assert report.bridged == sum(m.bridged for m in members.values())
    assert 0 < report.figure < 100


def test_internal_packages_and_commands_are_not_counted(kitchen):
    paths = [p.path for p in kitchen_coverage(kitchen).packages]
    assert paths and not any("/internal" in p or "/cmd" in p for p in paths)


def test_inspect_prints_the_report_and_json(kitchen, kitchen_root):
    report = kitchen_coverage(kitchen)
    text = run_cli("inspect", str(FIXTURES / "kitchen"), "--root", str(kitchen_root))
    assert text.returncode == 0, text.stderr
    head = text.stdout.splitlines()[0]
    assert head.startswith(f"example.com/kitchen local: {report.bridged}/{report.total} ")
    assert "  skipped Ticks: " in text.stdout
    data = json.loads(run_cli("inspect", str(FIXTURES / "kitchen"), "--root", str(kitchen_root), "--json").stdout)
    assert data["bridged"] == report.bridged and data["total"] == report.total
    root = next(p for p in data["packages"] if p["path"] == "example.com/kitchen")
    assert "AddInt" in root["bridged"]
    assert {"name": "Ticks", "reason": "result 1: channel of unsafe.Pointer is not bridgeable"} in root["skipped"]


def test_the_build_summary_shows_the_figure(kitchen, kitchen_root):
    report = kitchen_coverage(kitchen)
    done = run_cli("build", "--module", str(FIXTURES / "kitchen"), "--out", str(kitchen_root))
    assert done.returncode == 0, done.stderr
    assert f"coverage: {report.bridged}/{report.total} exported functions and methods bridged" in done.stdout


def test_usable_counts_what_takes_its_go_meaning(kitchen, idioms):
    members = {m.name: m for p in kitchen_coverage(kitchen).packages for m in p.members}
    stringify = members["Stringify"]  # takes a fmt.Stringer: only Go values implement it
    assert stringify.bridged and not stringify.usable
    assert "interface fmt.Stringer has methods Python objects cannot implement" in stringify.shortfall
    report = coverage(idioms._library.manifest)
    usable = {m.name: m.usable for p in report.packages for m in p.members}
    assert usable["Upper"] and usable["Fill"] and usable["Render"]  # streams, pointers, funcs in any
    assert report.usable <= report.bridged <= report.total
    assert f"{report.usable}/{report.total} usable with their Go meaning" in render(report)
