"""Pandoc's own Markdown test files (tests/third_party/pandoc/), as a warraq user would
bring them: what warraq refuses in each (exactly), the edits that take those refusals
out (and nothing else), and the text and element counts to compare with Pandoc's own
`-t plain` and `-t html5` output of the same edited file."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path


from warraq.readers.pandoc import pandoc_path

HERE = Path(__file__).parent / "third_party" / "pandoc"
WEB = "https://example.org"


def command_input(text: str) -> str:
    """The Markdown of one of Pandoc's command tests (between `% pandoc` and `^D`)."""
    return text.split("\n", 2)[2].split("\n^D\n")[0] + "\n"


def source_text(name: str) -> str:
    text = (HERE / name).read_text(encoding="utf-8")
    return command_input(text) if name.endswith(".md") else text


#: Links to paths of a web site (`/url`) or to files that are not chapters (`b`, `url`):
#: warraq refuses them (W307); the edit points them at a web page, the text unchanged.
_SITE_LINK = re.compile(r"(\]\(\s*<?|\]:\s*<?)(/|(?=(?:b|url|hi_\(there|bar baz)\b))")
#: Characters no font of warraq's has yet (W400: issue 10's "every script has a glyph"
#: is another change); until then the edit writes them as Latin letters or TeX words.
GLYPHS = {"测": "ce", "魚": "yu", "∈": "in", "$x \\in y$": "$x = y$",
          "\\alpha \\wedge \\omega": "\\alpha + \\omega"}
#: Ids Pandoc's files use twice (warraq refuses that, W314: the print edition is one
#: document): the edit renames the later ones.
TWICE = {"testsuite.txt": ('id="bar', '"'), "markdown-reader-more.txt": ("{#foobar", " ")}


def without_refusals(name: str, text: str) -> str:
    """The file with what warraq refuses by design taken out (see the module)."""
    text = _SITE_LINK.sub(lambda m: m.group(1) + WEB + "/", text)
    text = re.sub(r"^\[linky\]: ", f"[linky]: {WEB}/", text, flags=re.M)
    text = re.sub(r"<script.*?</script>\n?", "", text, flags=re.S)
    for char, written in GLYPHS.items():
        text = text.replace(char, written)
    if name in TWICE:
        head, tail = TWICE[name]
        token = head + tail
        first, _, rest = text.partition(token)
        n = iter(range(2, 100))
        text = first + token + re.sub(re.escape(token), lambda m: f"{head}-{next(n)}{tail}", rest)
    return text


def pandoc(text: str, to: str, *args: str) -> str:
    done = subprocess.run([pandoc_path(), "-f", "markdown", "-t", to, "--wrap=none", *args],
                          input=text.encode(), capture_output=True, check=True)
    return done.stdout.decode()


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text))
