"""Shapes real libraries have: embedded interfaces, promoted methods,
errors inside containers, recursive classes, large records, packages named
unlike their directory."""

from __future__ import annotations

import usegolib


def test_an_embedded_interface_brings_its_methods(kitchen):
    pet = kitchen.AdoptPet("rex")
    assert pet.Name() == "rex" and pet.Sound() == "woof"
    assert kitchen.Introduce(pet) == "rex says woof"
    assert {"Name", "Sound"} <= set(dir(kitchen.Pet))


def test_methods_promoted_through_an_embedded_pointer(kitchen):
    kennel = kitchen.NewKennel("fido")
    assert kennel.Name() == "fido" and kennel.Sound() == "woof"
    assert kennel.Size == 1
    assert kitchen.Introduce(kennel) == "fido says woof"  # *Kennel implements Pet through *Hound


def test_errors_inside_containers_are_handles(kitchen):
    none, full, wrapped = kitchen.Checks()
    assert none is None
    assert isinstance(full, usegolib.GoObject) and full.Error() == "disk full"
    assert str(wrapped) == "wrapped: inner"
    by_name = kitchen.ErrorsByName()
    assert by_name["ok"] is None and by_name["bad"].Error() == "bad input"


def test_a_map_of_slices_of_records(kitchen):
    assert kitchen.Groups() == {"line": [{"x": 0, "y": 0}, {"x": 1, "y": 1}], "empty": []}


def test_a_recursive_class(kitchen):
    tree = kitchen.GrowTree(3, 2)
    assert tree.Sum() == 3 + 2 * 2 + 4 * 1
    leaf = tree.Children[0].Children[1].Children[0]
    assert leaf.Value == 0 and leaf.Depth() == 3 and leaf.Children == []


def test_a_large_record_round_trips(kitchen):
    wide = {
        f"{letter}{i}": value
        for letter, value in zip("ABCDEFGHI", (1, "s", 0.5, True, [1], {"k": 1}, None, b"ab", 7), strict=True)
        for i in range(10)
    }
    wide.update({f"J{i}": -i for i in range(12)})
    back = kitchen.EchoWide(wide)
    assert back == {**wide, "A0": 2}


def test_a_package_named_unlike_its_directory(kitchen):
    tools = kitchen.go_tools
    assert tools.Shout("go") == "go!"
    assert tools.__name__ == "go.example_com.kitchen.go_tools"
