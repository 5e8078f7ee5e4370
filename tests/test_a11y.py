"""warraq.a11y: metadata follows the facts of the content; headings lose their gaps."""

from warraq.a11y import Facts, features, gather, metadata, normalise_headings
from warraq.xhtml import parse_fragment

XHTML = ('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
         ' xml:lang="en" lang="en"><body>{}</body></html>')
NAV = XHTML.format('<nav epub:type="toc"><ol><li><a href="a.xhtml">A</a></li></ol></nav>{}')


def test_gather_counts_what_is_there():
    doc = XHTML.format('<h1>T</h1><p>x<img src="i.png" alt="a map"/></p>'
                       '<span epub:type="pagebreak" role="doc-pagebreak" id="page-1"/>'
                       '<p lang="ar" xml:lang="ar">نص</p>')
    cover = XHTML.format('<img src="c.png" alt="Cover"/>')
    pages = ('<nav epub:type="page-list"><ol><li><a href="a.xhtml#page-1">1</a></li></ol>'
             '</nav>')
    facts = gather({"a.xhtml": doc.encode(), "c.xhtml": cover.encode()},
                   NAV.format(pages).encode(), cover_href="c.xhtml", page_source="print")
    assert (facts.headings, facts.images, facts.page_breaks) == (1, 1, 1)
    assert facts.has_toc and facts.has_page_list and facts.languages == ("en", "ar")
    meta = metadata(facts)
    assert ("schema:accessMode", "visual") in meta
    assert ("pageBreakSource", "print") in meta
    assert {"alternativeText", "printPageNumbers", "tableOfContents"} <= set(features(facts))


def test_nothing_is_claimed_that_is_not_there():
    facts = gather({"a.xhtml": XHTML.format("<p>only text</p>").encode()},
                   XHTML.format("<p>no nav</p>").encode())
    found = set(features(facts))
    assert not found & {"alternativeText", "printPageNumbers", "tableOfContents",
                        "structuralNavigation", "ARIA"}
    assert [v for p, v in metadata(facts) if p == "schema:accessMode"] == ["textual"]
    assert not [p for p, _ in metadata(facts) if p in ("pageBreakSource", "a11y:certifiedBy")]
    # A page source without a page-list is not claimed either.
    assert "pageBreakSource" not in dict(metadata(Facts(page_source="print")))


def test_heading_levels_lose_their_gaps():
    root = parse_fragment("<h1>A</h1><h3>B</h3><h4>C</h4><h2>D</h2><h5>E</h5><h1>F</h1>")
    normalise_headings(root)
    assert [e.tag for e in root] == ["h1", "h2", "h3", "h2", "h3", "h1"]
