"""The README documents every book.yaml key and every error code, and CI runs the
README's test command."""

import re

from conftest import ROOT
from warraq.errors import CODES
from warraq.readers.schema import FIELDS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_documents_every_key():
    for field in FIELDS:
        assert f"| `{field.key}`" in README, field.key


def test_readme_documents_every_error_code():
    documented = set(re.findall(r"^\| (W\d{3}) \|", README, re.M))
    assert documented == set(CODES)


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"^(make \w+)\s+#", README, re.M)
    assert commands == ["make dist", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert [l for l in ci.splitlines() if l and not l.startswith(("#", "set ", "cd "))] == [
        "make test"]
