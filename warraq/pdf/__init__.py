"""The print side: everything that makes, finishes and checks a PDF.

Pure data, importable without WeasyPrint: `profiles` (what each kind of PDF must be),
`pagesetup` (trims, margins, the gutter table), `wrapgeometry` (the cover sheet).
WeasyPrint is called in one place, `render`, with the one URL fetcher of `fetcher`.
`book` and `coverwrap` shape the HTML/CSS of the interior and the cover wrap,
`finisher` and `xmp` finish what WeasyPrint wrote, `tounicode` fixes its copy-paste
text, `pagemap` reads where each page begins, `preflight/` reads the file back and holds
it to its profile; `writer` is the `pdf` output of `warraq.writers`.
"""
