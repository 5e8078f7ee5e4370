"""The test library, built once per session (EPUB + print PDF, two processes), and
helpers to work on copies of it without building it again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from warraq.library import build_library

from .libgen import make_library


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(library folder, DIST, LibraryResult) of the dozen-article library's first build."""
    root = tmp_path_factory.mktemp("library")
    src = make_library(root / "src")
    dist = root / "dist"
    result = build_library(src, dist, ("epub", "pdf"), ("print",), jobs=2)
    return src, dist, result


@pytest.fixture
def copy_of(built, tmp_path):
    """A fresh copy of the built library and its DIST (mtimes kept), for runs that change
    them."""
    src, dist, _ = built
    shutil.copytree(src, tmp_path / "src", copy_function=shutil.copy2)
    shutil.copytree(dist, tmp_path / "dist", copy_function=shutil.copy2)
    return tmp_path / "src", tmp_path / "dist"


def mtimes(folder: Path) -> dict[str, int]:
    """Every file's mtime (ns), by path relative to `folder`."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}
