"""What the wheel is made of, checked without building it (tests/test_wheel.py builds it,
marked slow): every package and data folder is declared in pyproject.toml, so that a new
sub-package or template folder cannot be left out of `pip install`."""

from __future__ import annotations

import tomllib

from conftest import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_of_warraq_is_declared():
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "warraq").rglob(
        "__init__.py") if "__pycache__" not in p.parts}
    data = {".".join(p.relative_to(ROOT).parts) for p in (ROOT / "warraq" / "starters").iterdir()
            if p.is_dir() and p.name != "__pycache__"}
    declared = set(SETUPTOOLS["packages"])
    assert found | data <= declared, sorted((found | data) - declared)


def test_every_template_folder_ships_as_warraq_templates():
    assert SETUPTOOLS["package-dir"] == {"warraq._templates": "templates"}
    folders = {"warraq._templates." + ".".join(p.relative_to(ROOT / "templates").parts)
               for p in (ROOT / "templates").rglob("*") if p.is_dir()}
    assert folders | {"warraq._templates"} <= set(SETUPTOOLS["packages"])
    assert SETUPTOOLS["package-data"]["warraq._templates"] == ["**/*"]


def test_the_pandoc_scripts_ship_with_the_readers():
    assert SETUPTOOLS["package-data"]["warraq.readers"] == ["lua/*.lua"]
    assert sorted(p.name for p in (ROOT / "warraq" / "readers" / "lua").glob("*.lua")) == [
        "book.lua"]
