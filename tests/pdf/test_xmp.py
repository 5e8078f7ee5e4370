"""warraq.pdf.xmp: the packet is a tree, and `serialise` writes that tree (the same
canonical XML as lxml's own serialiser), escaping what it must."""

import dataclasses

import lxml.etree as ET
import pytest

from conftest import SAMPLE
from warraq.pdf.profiles import PROFILES
from warraq.pdf.xmp import serialise, tree, xmp
from warraq.pipeline import prepare


@pytest.fixture(scope="module")
def book():
    return prepare(SAMPLE)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_serialise_writes_the_tree(book, profile):
    root = tree(book, PROFILES[profile])
    ours = ET.fromstring(serialise(root).encode())
    assert ET.tostring(ours, method="c14n") == ET.tostring(root, method="c14n")


def test_the_packet_escapes_metadata_and_keeps_rdf_about_first(book):
    meta = dataclasses.replace(book.meta, description='a <b> & "c"', publisher="P&Q")
    data = xmp(dataclasses.replace(book, meta=meta), PROFILES["offset"])
    assert data.startswith(b'<?xpacket begin="\xef\xbb\xbf"')
    assert data.endswith(b'<?xpacket end="w"?>')
    assert b'<rdf:Description rdf:about="" xmlns:dc=' in data
    assert b"a &lt;b&gt; &amp; \"c\"" in data and b"<rdf:li>P&amp;Q</rdf:li>" in data
    root = ET.fromstring(data.split(b"\n")[1])
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
          "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert root.findtext(".//dc:description/rdf:Alt/rdf:li", namespaces=ns) == 'a <b> & "c"'
    assert root.findtext(".//xmpMM:DocumentID", namespaces=ns).startswith("xmp.did:")


def test_empty_fields_are_left_out(book):
    meta = dataclasses.replace(book.meta, description=None, publisher=None, subjects=(),
                               keywords=())
    data = xmp(dataclasses.replace(book, meta=meta))
    for absent in (b"dc:description", b"dc:publisher", b"dc:subject", b"pdf:Keywords",
                   b"pdfxid:", b"pdfuaid:part>"):
        assert absent not in data
