"""warraq.pdf.warmup: a primed process pays its once-per-process costs ahead, and makes
the same PDF as one that was not primed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from warraq.background import Background

ROOT = Path(__file__).resolve().parents[2]


def _primed(send, lang, steps):
    import pyphen

    from warraq.fonts import static_instance
    from warraq.pdf import tounicode
    from warraq.pdf.warmup import prime
    pyphen.hdcache.clear()              # (what this child inherited goes first)
    static_instance.cache_clear()
    tounicode._KNOWN.clear()
    from warraq.templating import environment
    environment().cache.clear()
    asked = []
    prime(lambda: asked.append(1) or len(asked) > steps, lang=lang)
    return (sorted(pyphen.hdcache), static_instance.cache_info().currsize,
            sorted(p.name for p in tounicode._KNOWN),
            sorted(name for _loader, name in environment().cache.keys()))


def test_prime_loads_the_dictionary_the_static_faces_and_the_glyph_closures():
    # (in a forked child: this process stays as it was)
    kind, (dictionaries, instances, closures, templates) = Background(
        _primed, "en", 99).receive()
    assert kind == "done"
    assert {"pdf/book.html", "pdf/book.css", "shared/print-fonts.css"} <= set(templates)
    assert any("hyph_en" in str(name) for name in dictionaries), dictionaries
    assert instances >= 2               # HarfBuzz instanced EB Garamond's weights
    assert "EBGaramond[wght].ttf" in closures and "Amiri-Regular.ttf" in closures


def test_prime_stops_when_the_work_has_come():
    kind, primed = Background(_primed, "en", 0).receive()
    assert kind == "done" and primed == ([], 0, [], [])
    kind, (dictionaries, instances, closures, templates) = Background(
        _primed, "en", 2).receive()
    assert templates and dictionaries and (instances, closures) == (0, [])  # two steps


def test_prime_with_a_language_that_is_no_language_does_not_raise():
    kind, _ = Background(_primed, '"><p>x</p><p lang="', 99).receive()
    assert kind == "done"


_BUILD = """
import sys
sys.path.insert(0, {root!r})
if sys.argv[1] == "primed":
    from warraq.pdf.warmup import prime
    prime(lambda: False)
from warraq.cli import main
sys.exit(main([{source!r}, "--out", sys.argv[2], "--format", "pdf", "--jobs", "1",
               "--no-cache"]))
"""


@pytest.mark.slow
def test_a_primed_process_makes_the_same_pdf_bytes(tmp_path):
    script = _BUILD.format(root=str(ROOT), source=str(ROOT / "source"))
    digests = {}
    for how in ("primed", "plain"):
        out = tmp_path / how
        subprocess.run([sys.executable, "-c", script, how, str(out)], check=True,
                       capture_output=True,
                       env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
        (pdf,) = out.glob("*.pdf")
        digests[how] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert digests["primed"] == digests["plain"]
