"""Shared fixtures: throw-away sources, the sample build, golden files (tests/cases/),
and a guard that fails any test during which WeasyPrint logs a warning (as WeasyPrint's
own `assert_no_logs` does)."""

from __future__ import annotations

import difflib
import json
import logging
import textwrap
from pathlib import Path

import pytest
import yaml

from warraq.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "source"


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_weasyprint_warnings: the test checks "
                            "WeasyPrint's warnings itself")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the expected read-backs of tests/cases/*/expected/")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(request):
    """Fail the test if WeasyPrint logged anything at WARNING or above."""
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if handler.records and "allow_weasyprint_warnings" not in request.keywords:
        messages = "\n".join(r.getMessage() for r in handler.records)
        pytest.fail(f"WeasyPrint warned:\n{messages}")


def write_source(folder: Path, meta: dict | str, files: dict[str, str | bytes]) -> Path:
    """Make a source folder: book.yaml (a dict is dumped as YAML) and the files given."""
    folder.mkdir(parents=True, exist_ok=True)
    text = meta if isinstance(meta, str) else yaml.safe_dump(meta, allow_unicode=True,
                                                               sort_keys=False)
    (folder / "book.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


@pytest.fixture
def make_source(tmp_path):
    def make(meta, files, name="src"):
        return write_source(tmp_path / name, meta, files)
    return make


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The sample book built once for the session (EPUB and PDF)."""
    out = tmp_path_factory.mktemp("sample-dist")
    return build(SAMPLE, out)


#: The second, throw-away book: other title, order (contents not alphabetical), layout,
#: language tag and identifier kind than the sample.
SECOND_META = {
    "title": "Field Notes on Rivers",
    "subtitle": "An article in two parts",
    "creator": [{"name": "Ada Ferreira", "role": "aut", "file-as": "Ferreira, Ada"},
                {"text": "Tomasz Nowak", "role": "aut"}],
    "contributor": [{"name": "Lena Ortiz", "role": "ill"}],
    "lang": "en-GB",
    "date": "2024-06-16",
    "identifier": "urn:isbn:978-3-16-148410-0",
    "publisher": "Second Test Press",
    "rights": "CC BY 4.0",
    "description": "A test article that is nothing like the sample.",
    "subject": "Hydrology",
    "keywords": ["rivers", "fieldwork"],
    "belongs-to-collection": "Test Series",
    "group-position": 7,
    "layout": "article",
    "contents": ["z-last-written.md", "a-first-written.md"],
}

SECOND_FILES = {
    "z-last-written.md": """\
        # Upstream

        The river starts as a seep under moss.[^moss]

        ## Springs

        i. The first spring.
        ii. The second spring.

        [^moss]: Sphagnum, mostly.
        """,
    "a-first-written.md": """\
        ---
        type: appendix
        title: Downstream notes
        ---

        ## Estuary

        Salt meets fresh water here.

        ### Tides

        Twice a day.
        """,
}


@pytest.fixture(scope="session")
def second_build(tmp_path_factory):
    """A throw-away book unlike the sample: other title, order, layout, language tag."""
    folder = tmp_path_factory.mktemp("second-src")
    write_source(folder, SECOND_META, SECOND_FILES)
    out = tmp_path_factory.mktemp("second-dist")
    return build(folder, out)


def _shown(path: Path) -> str:
    """A path as a message shows it: relative to the project when it is inside."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def golden_text(data) -> str:
    """The text of a golden file: JSON, sorted keys, one item a line, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def golden_differences(folder: Path, files: dict[str, object], update: bool) -> list[str]:
    """Compare each `name: data` with folder/<name>.json; with `update`, write them (and
    remove golden files no longer produced) instead. Returns one message a difference."""
    if update:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in set(folder.glob("*.json")) - {folder / f"{n}.json" for n in files}:
            stale.unlink()
        for name, data in files.items():
            (folder / f"{name}.json").write_text(golden_text(data), encoding="utf-8")
        return []
    faults = []
    for stale in sorted(set(folder.glob("*.json")) - {folder / f"{n}.json" for n in files}):
        faults.append(f"{_shown(stale)} is no longer produced")
    for name, data in files.items():
        path = folder / f"{name}.json"
        if not path.exists():
            faults.append(f"no golden file {_shown(path)}")
            continue
        want, got = path.read_text(encoding="utf-8"), golden_text(data)
        if json.loads(want) != json.loads(got):
            diff = difflib.unified_diff(want.splitlines(), got.splitlines(), "expected",
                                        "now", n=1, lineterm="")
            faults.append(f"{_shown(path)} differs:\n" + "\n".join(list(diff)[:60]))
    return faults


@pytest.fixture
def golden(request):
    """`golden(folder, {name: data})`: compare JSON-able data with folder/<name>.json;
    `pytest --update-golden` rewrites the files instead."""
    update = request.config.getoption("--update-golden")

    def check(folder: Path, files: dict[str, object]) -> None:
        faults = golden_differences(folder, files, update)
        assert not faults, "\n".join(faults) + (
            "\n(if the change is intended: pytest --update-golden, then review the diff)")
    return check


@pytest.fixture
def own_templates(tmp_path, monkeypatch):
    """A copy of templates/ that the build renders and loads instead of the real one."""
    import shutil

    from warraq import templating
    folder = tmp_path / "templates"
    shutil.copytree(templating.TEMPLATES_DIR, folder)
    monkeypatch.setattr(templating, "TEMPLATES_DIR", folder)
    real = templating.environment
    monkeypatch.setattr(templating, "environment", lambda templates_dir=folder: real(folder))
    return folder


def release_a_font(monkeypatch) -> None:
    """Another release of a font package (the Hebrew face's, which the tests' books do
    not even use): every face's version but that one's as it was."""
    import dataclasses

    from warraq import fonts
    real = fonts.faces

    def upgraded(choice=()):
        return tuple(dataclasses.replace(f, version=f.version + ".1") if f.role == "hebrew"
                     else f for f in real(choice))
    monkeypatch.setattr(fonts, "faces", upgraded)
