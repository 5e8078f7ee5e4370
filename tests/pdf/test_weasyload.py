"""warraq.pdf.weasyload: WeasyPrint's libraries open without ctypes' slow search, from
whichever module of warraq.pdf imports WeasyPrint first, and `find_library` is put back;
the listing answers as ctypes' own first way of looking does."""

import ctypes.util
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from warraq.pdf import weasyload

#: every module of warraq.pdf that imports WeasyPrint when it is imported
FIRST = sorted(p.stem for p in (ROOT / "warraq" / "pdf").glob("*.py")
               if re.search(r"^(from|import) weasyprint", p.read_text("utf-8"), re.M))
PROBE = """
import ctypes.util, importlib, sys
calls, real = [], ctypes.util.find_library
def counted(name):
    calls.append(name)
    return real(name)
ctypes.util.find_library = counted
importlib.import_module(sys.argv[1])
import weasyprint.text.ffi as ffi
print(len(calls), ctypes.util.find_library is counted, ffi.pango is not None,
      ffi.harfbuzz_subset is not None)
"""


def test_the_modules_that_import_weasyprint_are_found():
    assert {"render", "fetcher", "book", "join"} <= set(FIRST)


@pytest.mark.parametrize("module", FIRST)
def test_whichever_module_imports_weasyprint_first_searches_for_no_library(module):
    out = subprocess.run([sys.executable, "-c", PROBE, f"warraq.pdf.{module}"], cwd=ROOT,
                         capture_output=True, text=True, check=True, timeout=120).stdout
    # no name went to ctypes' search, which is back in place; every library opened
    assert out.split() == ["0", "True", "True", "True"]


LISTING = (b"1234 libs found in cache `/etc/ld.so.cache'\n"
           b"\tlibharfbuzz.so.0 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libharfbuzz.so.0\n"
           b"\tlibold.so.1 (libc6) => /usr/lib32/libold.so.1\n")


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8 or weasyload.os.uname().machine
                    != "x86_64", reason="the listing is an x86-64 machine's")
def test_the_listing_answers_for_this_kind_of_machine_only():
    find = weasyload.listed(LISTING)
    assert find("harfbuzz") == "libharfbuzz.so.0"
    assert find("old") is None                  # a 32-bit library
    assert find("harfbuzz-0") is None and find("harf") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldconfig is Linux's")
@pytest.mark.parametrize("name", ["harfbuzz", "pango-1.0", "fontconfig", "no-such-lib"])
def test_the_listing_answers_as_ctypes_first_way(name):
    assert weasyload.listed(weasyload._listing())(name) == \
        ctypes.util._findSoname_ldconfig(name)
