"""The loader: the only code that reads the source folder.

`load_book` reads `book.yaml`, each Markdown file of `contents` (with its optional YAML
front matter) and every image the chapters name, checks all of it, and returns an
immutable `Book`. Every problem is collected and raised at once as a `SourceError`.
Nothing outside the source folder is read: paths that are absolute, climb out with
`..`, or resolve through a symlink to the outside are refused.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml
from PIL import Image

from .cover import check_cover_image
from .errors import Diagnostics, SourceError, source_error
from .markdown import make_parser, render
from .model import Book, Chapter, Heading, Resource
from .schema import (_BCP47, CHAPTER_TYPES, FRONT_MATTER_KEYS, _Ctx, mapping_items,
                     parse_metadata, parse_yaml)
from .text import xml_id
from .furniture import quotes
from .titles import chapter_title
from .xhtml import (SCRIPT_SCHEMES, URL_SCHEMES, audit_raw_html, depth, parse_fragment,
                    serialise_children, text_of, url_scheme)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
#: The longest paragraph (text without a blank line) warraq typesets. WeasyPrint breaks a
#: paragraph into lines in time that grows faster than its length (one 5 MB paragraph
#: takes minutes and half a gigabyte); 100 000 characters is some 30 printed pages.
MAX_PARAGRAPH_CHARS = 100_000
#: How deep Markdown blocks may nest (a list level counts two: list and item; a quotation
#: one): 8 lists or 16 quotations. markdown-it silently drops whatever lies deeper than
#: its own limit, and in the 6-inch PDF page some 24 quotations leave no width for text
#: (it vanishes), so warraq stops well before and says so (W312).
MAX_NESTING = 16
#: How deep a chapter's elements may nest; WeasyPrint overflows Python's stack near 200.
MAX_DEPTH = 100
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


#: Characters XML 1.0 cannot hold (so no EPUB can): C0 controls but tab and line ends,
#: and the noncharacters U+FFFE and U+FFFF.
#: Control characters (C0 but tab and newline, DEL, C1) and the two noncharacters: XML
#: forbids or discourages them and no font draws them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


class _Source:
    """The source folder, with confined path resolution."""

    def __init__(self, root: Path):
        self.root = root.resolve()

    def resolve(self, relative: str) -> Path | None:
        """The real path of `relative` if it stays inside the folder, else None."""
        pure = PurePosixPath(relative.replace("\\", "/"))
        if not relative or pure.is_absolute() or (pure.parts and ":" in pure.parts[0]):
            return None
        candidate = (self.root / pure).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        return candidate

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def _read_text(path: Path, shown: str, diags: Diagnostics) -> str | None:
    try:
        with path.open("rb") as handle:      # never more than the limit into memory
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        diags.add(shown, None, "W206", f"cannot read the file: {exc.strerror}")
        return None
    if len(data) > MAX_FILE_BYTES:
        diags.add(shown, None, "W206", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB: "
                  "split it into several files in contents")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        diags.add(shown, line, "W203", f"byte 0x{data[exc.start]:02x} is not UTF-8: save the "
                  "file as UTF-8")
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Unicode's line and paragraph separators mean what Markdown writes as a line break
    # and a blank line; left in, no font has a glyph for them.
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    bad = False
    for n, match in enumerate(_NOT_XML.finditer(text)):
        if n == 10:
            break
        bad = True
        start = text.rfind("\n", 0, match.start()) + 1
        diags.add(shown, text.count("\n", 0, match.start()) + 1, "W207",
                  f"the control character U+{ord(match.group()):04X} cannot appear in a book "
                  "(XML forbids it, no font draws it): delete it",
                  column=match.start() - start + 1)
    return None if bad else text


def _front_matter(text: str, shown: str, diags: Diagnostics) -> tuple[dict, str, int]:
    """(front matter values, body, number of lines before the body)."""
    if not text.startswith("---\n"):
        return {}, text, 0
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            diags.add(shown, 1, "W300", "front matter opened with `---` is never closed with "
                      "`---`")
            return {}, text, 0
    head = text[4:end + 1]
    offset = head.count("\n") + 2
    body = text[end + 5:]
    try:
        node, loader = parse_yaml(head, shown)
    except SourceError as err:
        for d in err.diagnostics:
            diags.add(shown, (d.line or 0) + 1, "W300", d.message)
        return {}, body, offset
    if node is None:
        return {}, body, offset
    if not isinstance(node, yaml.MappingNode):
        diags.add(shown, 2, "W300", "front matter must be a mapping (title, type, lang)")
        return {}, body, offset
    values = {}
    ctx = _Ctx(shown, diags)
    for key, value, key_node, value_node in mapping_items(node, loader, ctx):
        line = key_node.start_mark.line + 2
        if key not in FRONT_MATTER_KEYS:
            diags.add(shown, line, "W301", f"unknown front matter key `{key}`: use "
                      f"{', '.join(FRONT_MATTER_KEYS)}")
        elif key == "type" and value not in CHAPTER_TYPES:
            diags.add(shown, line, "W300", f"`type` must be one of {', '.join(CHAPTER_TYPES)}")
        elif not isinstance(value, str) or not value.strip():
            diags.add(shown, line, "W300", f"`{key}` must be a text value")
        elif key == "lang" and not _BCP47.match(value.strip()):
            diags.add(shown, line, "W106", f"`{value.strip()}` is not a BCP 47 language tag "
                      "(for example `en`, `en-GB`, `ar`)")
        else:
            values[key] = value.strip()
    return values, body, offset


class _NestingGuard:
    """A block rule that never matches: it notes the first line nested past `MAX_NESTING`
    (markdown-it would drop it silently). Reset `line` before each text."""

    def __init__(self) -> None:
        self.line: int | None = None

    def __call__(self, state, start_line: int, _end_line: int, _silent: bool) -> bool:
        if state.level > MAX_NESTING and self.line is None:
            self.line = start_line
        return False


def _parser():
    """The Markdown parser, with warraq's limits and every link kept for checking."""
    md = make_parser()
    # markdown-it quietly turns links it distrusts (javascript:, file:, data:) into plain
    # text; let every link through as a link, so that `_link` reports it with its line.
    md.validateLink = lambda url: True
    md.options["maxNesting"] = MAX_NESTING + 4
    guard = _NestingGuard()
    first = md.block.ruler.get_all_rules()[0]
    md.block.ruler.before(first, "warraq_nesting_guard", guard)
    return md, guard


def _long_paragraphs(body: str, shown: str, offset: int, diags: Diagnostics) -> bool:
    """Report every paragraph longer than `MAX_PARAGRAPH_CHARS`; True if there was one."""
    if len(body) <= MAX_PARAGRAPH_CHARS:
        return False
    found, start, body = False, 0, body.rstrip()
    for gap in (*re.finditer(r"\n[ \t]*\n", body), None):
        end = gap.start() if gap else len(body)
        if end - start > MAX_PARAGRAPH_CHARS:
            found = True
            line = body.count("\n", 0, start) + offset + 1
            diags.add(shown, line, "W310", f"this paragraph has {end - start:,} characters, more "
                      f"than the {MAX_PARAGRAPH_CHARS:,} warraq can typeset: break it into "
                      "paragraphs with blank lines")
        if gap:
            start = gap.end()
    return found


def _show(text: str) -> str:
    """A URL as a message quotes it: on one line, and not too long."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _split(url: str) -> tuple[str, str, str] | None:
    """(scheme, netloc, path) of a URL, or None when it cannot be parsed."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url_scheme(url), parts.netloc, parts.path


def _inside(source: _Source, md_path: Path, url_path: str) -> Path | None:
    """The real path a relative URL of a chapter names, if it stays in the source folder."""
    base = PurePosixPath(source.relative(md_path.parent))
    return source.resolve((base / unquote(url_path)).as_posix())


def _is_svg(path: Path, head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (path.suffix.lower() in (".svg", ".svgz") or start.startswith((b"<?xml", b"<svg"))
            or (start.startswith(b"<!") and b"<svg" in head.lower())
            or head.startswith(b"\x1f\x8b") and path.suffix.lower() == ".svgz")


def _image(source: _Source, md_path: Path, src: str, shown: str, line: int | None,
           diags: Diagnostics, cache: dict[str, Resource]) -> str | None:
    """Check an image a chapter names; return its path relative to the source folder.

    Only files under the source folder are read; a URL is refused without being
    fetched. SVG is refused without being parsed (W311): an SVG is an XML document that
    can carry scripts, entity declarations and references to other files, and warraq
    would have to trust two more XML/SVG renderers (WeasyPrint's and the reading
    system's) to ignore them. PNG, JPEG and GIF are opened by Pillow, header first:
    dimensions past `MAX_IMAGE_PIXELS` (a decompression bomb) are refused before decoding.
    """
    split = _split(src)
    if split is None or split[0] or split[1] or not split[2]:
        diags.add(shown, line, "W307", f"image `{src}` is not a file of the book: images must "
                  "be files under the source folder (nothing is fetched)")
        return None
    path = _inside(source, md_path, split[2])
    if path is None:
        diags.add(shown, line, "W307", f"image `{src}` is outside the source folder: copy it "
                  "into the source folder")
        return None
    key = source.relative(path)
    if key in cache:
        return key
    if not path.is_file():
        diags.add(shown, line, "W306", f"image `{src}` does not exist")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            diags.add(shown, line, "W306", f"image `{src}` is larger than "
                      f"{MAX_IMAGE_BYTES // 2**20} MB: make it smaller")
            return None
        with path.open("rb") as handle:
            head = handle.read(512)
            if _is_svg(path, head):
                diags.add(shown, line, "W311", f"image `{src}` is SVG, which warraq does not "
                          "accept: convert it to PNG")
                return None
            data = head + handle.read()
    except OSError as exc:
        diags.add(shown, line, "W206", f"image `{src}` cannot be read: {exc.strerror}")
        return None
    too_big = (f"image `{src}` has more than {MAX_IMAGE_PIXELS:,} pixels (a decompression "
               "bomb, or far too large for a book): make it smaller")
    try:
        # Only the decoders of the accepted formats are tried (no EPS, no Ghostscript).
        with Image.open(io.BytesIO(data), formats=list(IMAGE_TYPES)) as img:
            kind, (width, height) = img.format, img.size
            if width * height > MAX_IMAGE_PIXELS:
                diags.add(shown, line, "W306", too_big)
                return None
            img.verify()
    except Image.DecompressionBombError:
        diags.add(shown, line, "W306", too_big)
        return None
    except Image.UnidentifiedImageError:
        diags.add(shown, line, "W306", f"image `{src}` is not a PNG, JPEG or GIF image: "
                  "save it as PNG or JPEG")
        return None
    except (OSError, ValueError, SyntaxError, struct.error) as exc:
        diags.add(shown, line, "W306", f"image `{src}` is damaged ({exc}): save it again as "
                  "PNG or JPEG")
        return None
    cache[key] = Resource(key, IMAGE_TYPES[kind], data, width, height)
    return key


def _link(source: _Source, md_path: Path, href: str, shown: str, line: int,
          diags: Diagnostics) -> None:
    """Check a link: `#anchor`, http(s) and mailto are kept (never fetched); the rest refused.

    A link is not loaded by either writer, but a `file:` or `../` link would point the
    reader at the author's disk and a link to another file breaks the EPUB.
    """
    if not href.strip() or href.strip().startswith("#"):
        return
    split = _split(href)
    scheme = split[0] if split else "?"
    if scheme in SCRIPT_SCHEMES:
        diags.add(shown, line, "W308", f"the link `{_show(href)}` runs code or embeds data "
                  f"(`{scheme}:`): remove it")
    elif scheme in URL_SCHEMES:
        return
    elif split is None or scheme or split[1]:
        diags.add(shown, line, "W307", f"the link `{_show(href)}` is not a web page: links are "
                  "http(s)://, mailto: or #anchor")
    elif _inside(source, md_path, split[2]) is None:
        diags.add(shown, line, "W307", f"the link `{_show(href)}` leads outside the source "
                  "folder: remove it or link to a web page")
    else:
        diags.add(shown, line, "W307", f"the link `{_show(href)}` names a file, which is not "
                  "part of the book: link to a heading (#id) or a web page")


def _css_url(source: _Source, md_path: Path, url: str, shown: str, line: int,
             diags: Diagnostics) -> None:
    """CSS `url()` in author HTML: never loaded; refused with a note on where it points."""
    split = _split(url)
    if split is None or split[0] or split[1] or _inside(source, md_path, split[2]) is None:
        diags.add(shown, line, "W307", f"CSS `url({_show(url)})` points outside the book: "
                  "nothing named in CSS is loaded; remove it")
    else:
        diags.add(shown, line, "W308", f"CSS `url({_show(url)})` in author HTML is not allowed: "
                  "put images in with ![alt text](file.png)")


def _check_langs(tree, body: str, offset: int, shown: str, diags: Diagnostics) -> bool:
    """Every `lang` an author set (`{lang=..}`, raw HTML) is a BCP 47 tag."""
    ok = True
    for value in dict.fromkeys(el.get("lang") for el in tree.iter() if el.get("lang")):
        if _BCP47.match(value):
            continue
        ok = False
        found = re.search(r"lang\s*=\s*[\"']?" + re.escape(value), body)
        line = body.count("\n", 0, found.start()) + offset + 1 if found else None
        diags.add(shown, line, "W106", f"`lang={value}` is not a BCP 47 language tag (for "
                  "example `en`, `ar`, `ar-Latn`)")
    return ok


def _note_line(rendered, note) -> int | None:
    """The line of the footnote reference inside `note` (from the Markdown tokens)."""
    inner = re.findall(r'class="noteref"[^>]*href="(#[^"]+)"|href="(#[^"]+)"[^>]*class="noteref"',
                       note.html)
    hrefs = {a or b for a, b in inner}
    outer = next((line for href, line in rendered.links if href == f"#{note.id}"), None)
    nested = next((line for href, line in rendered.links if href in hrefs), None)
    # an inline note's tokens carry no line: then the outer reference's line is the place
    return max((n for n in (outer, nested) if n is not None), default=None)


def _check_anchors(tree, rendered, body: str, offset: int, shown: str,
                   diags: Diagnostics, book_ids: dict[str, str]) -> bool:
    """Every `#anchor` link names an id of the chapter, and no id is used twice, in the
    chapter (one XHTML file of the EPUB) or in the book (the print edition is one
    document; `book_ids` maps the ids of earlier chapters to their file). False if
    something is wrong."""
    ids: dict[str, int] = {}
    for el in tree.iter():
        if el.get("id"):
            ids[el.get("id")] = ids.get(el.get("id"), 0) + 1
    for note in rendered.footnotes:
        ids[note.id] = ids.get(note.id, 0) + 1
        for el in parse_fragment(note.html).iter():
            if el.get("id"):
                ids[el.get("id")] = ids.get(el.get("id"), 0) + 1
    ok = True
    for note in rendered.footnotes:
        if 'class="noteref"' in note.html:
            ok = False
            diags.add(shown, _note_line(rendered, note), "W315", f"footnote {note.label} holds "
                      "another footnote, which a printed page cannot place: write that note's "
                      "text into it instead")
    twice = sorted(i for i, n in ids.items() if n > 1)
    for ident in twice:
        ok = False
        found = re.search(r"#" + re.escape(ident) + r"\b|id\s*=\s*[\"']?" + re.escape(ident),
                          body)
        line = body.count("\n", 0, found.start()) + offset + 1 if found else None
        diags.add(shown, line, "W314", f"the id `{ident}` is used more than once in this "
                  "chapter: give each `{#id}` a different name")
    for ident in sorted(i for i in ids if i in book_ids and i not in twice):
        ok = False
        found = re.search(r"id\s*=\s*[\"']?" + re.escape(ident) + r"|#" + re.escape(ident)
                          + r"\b", body)
        line = body.count("\n", 0, found.start()) + offset + 1 if found else None
        diags.add(shown, line, "W314", f"the id `{ident}` is also used in {book_ids[ident]}: "
                  "ids must differ across the whole book (the print edition is one document)")
    book_ids.update((i, shown) for i in ids if i not in book_ids)
    hrefs = [(h, ln) for h, ln in rendered.links]
    hrefs += [(h, ln) for chunk, ln in rendered.raw_html for h in audit_raw_html(chunk).links]
    for href, line in hrefs:
        href = href.strip()
        if href.startswith("#") and unquote(href[1:]) not in ids:
            ok = False
            diags.add(shown, line, "W313", f"the link `{_show(href)}` names no heading or "
                      "element of this chapter: give the target `{#" + _show(href[1:])
                      + "}` or fix the link")
    return ok


def _check_references(source: _Source, md_path: Path, rendered, shown: str,
                      diags: Diagnostics) -> list[tuple[str, int]]:
    """Check links and raw HTML of a chapter; return every image it names, with its line."""
    images = list(rendered.images)
    for href, line in rendered.links:
        _link(source, md_path, href, shown, line, diags)
    for chunk, line in rendered.raw_html:
        audit = audit_raw_html(chunk)
        for code, message in audit.refused:
            diags.add(shown, line, code, message)
        images.extend((src, line) for src in audit.images)
        for href in audit.links:
            _link(source, md_path, href, shown, line, diags)
        for url in audit.css_urls:
            _css_url(source, md_path, url, shown, line, diags)
    return images


def _fix_images(html: str, mapping: dict[str, str]) -> str:
    """Point every <img> at its checked path (relative to the source folder)."""
    if not mapping or "<img" not in html:
        return html
    wrapper = parse_fragment(html)
    for img in wrapper.iter("img"):
        img.set("src", mapping.get(img.get("src", ""), img.get("src", "")))
    return serialise_children(wrapper)


def _key_line(yaml_text: str, key: str) -> int | None:
    """The line of a top-level key in book.yaml (for checks made after parsing)."""
    for n, line in enumerate(yaml_text.splitlines(), 1):
        if line.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            return n
    return None


def build_date(meta_date: dt.date | None, epoch: str | None) -> dt.datetime:
    """The timestamp every output carries: SOURCE_DATE_EPOCH, else the book's date, else now."""
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    if meta_date:
        return dt.datetime(meta_date.year, meta_date.month, meta_date.day, tzinfo=dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def load_book(folder: str | Path, epoch: str | None = None) -> Book:
    """Read and check the source folder; raise `SourceError` with every problem found."""
    root = Path(folder)
    if not root.is_dir():
        raise source_error(str(folder), None, "W100", "the source folder does not exist")
    source = _Source(root)
    yaml_path = source.root / "book.yaml"
    if not yaml_path.is_file():
        raise source_error("book.yaml", None, "W100", f"no book.yaml in {folder}: create one "
                           "with at least `title` and `contents`")
    diags = Diagnostics()
    yaml_text = _read_text(yaml_path, "book.yaml", diags) or ""
    diags.raise_if_any()
    meta, contents_lines = parse_metadata(yaml_text)
    sources = {"book.yaml": yaml_text}

    md, guard = _parser()
    md.options["quotes"] = quotes(meta.lang)     # “ ” in English, « » in Arabic
    chapters: list[Chapter] = []
    resources: dict[str, Resource] = {}
    seen_files: dict[Path, str] = {}
    used_ids: set[str] = set()
    book_ids: dict[str, str] = {}
    for entry in meta.contents:
        line = contents_lines.get(entry)
        path = source.resolve(entry)
        if path is None:
            diags.add("book.yaml", line, "W202", f"`{entry}` is outside the source folder: "
                      "contents entries are paths under it")
            continue
        if path in seen_files:
            diags.add("book.yaml", line, "W201", f"`{entry}` is listed twice in contents")
            continue
        seen_files[path] = entry
        if path.suffix.lower() not in (".md", ".markdown"):
            diags.add("book.yaml", line, "W204", f"`{entry}` is not a Markdown file (.md)")
            continue
        if not path.is_file():
            diags.add("book.yaml", line, "W200", f"`{entry}` does not exist")
            continue
        shown = source.relative(path)
        text = _read_text(path, shown, diags)
        if text is None:
            continue
        sources[shown] = text
        front, body, offset = _front_matter(text, shown, diags)
        if not body.strip():
            diags.add(shown, offset + 1, "W302", "the chapter is empty: write its text or remove "
                      "it from contents")
            continue
        chapter_id = xml_id(path.stem, "ch")
        while chapter_id in used_ids:
            chapter_id += "-x"
        used_ids.add(chapter_id)
        if _long_paragraphs(body, shown, offset, diags):
            continue
        guard.line = None
        rendered = render(md, body, chapter_id, shown, offset, diags)
        if guard.line is not None:
            diags.add(shown, guard.line + offset + 1, "W312", "lists and quotations nest too "
                      f"deeply here (at most {MAX_NESTING // 2} lists or {MAX_NESTING} "
                      "quotations inside one another): flatten them")
            continue
        headings = tuple(rendered.headings)
        title, html, headings = chapter_title(
            rendered.html, headings, front.get("title"), chapter_id, meta.layout, meta.title,
            first=not chapters)
        if not title:
            diags.add(shown, offset + 1, "W303", "the chapter has no heading and no `title` in "
                      "front matter: start it with `# Title`")
            continue
        mapping = {}
        deep_line = next((ln for chunk, ln in rendered.raw_html
                          if audit_raw_html(chunk).depth > MAX_DEPTH // 2), None)
        for src, img_line in _check_references(source, path, rendered, shown, diags):
            fixed = _image(source, path, src, shown, img_line, diags, resources)
            if fixed:
                mapping[src] = fixed
        lines = dict(rendered.images)
        for img in parse_fragment(rendered.html).iter("img"):
            if not (img.get("alt") or "").strip():
                src = img.get("src", "")
                diags.add(shown, lines.get(src), "W309", f"image `{src}` has no alternative "
                          "text: describe it between the brackets, ![what it shows](file)")
        html = _fix_images(html, mapping)
        tree = parse_fragment(html)
        if depth(tree) > MAX_DEPTH:
            diags.add(shown, deep_line or offset + 1, "W312", f"elements nest more than "
                      f"{MAX_DEPTH} deep: flatten the HTML or the lists")
            continue
        if not text_of(tree):
            diags.add(shown, offset + 1, "W302", "the chapter has no text")
            continue
        if not _check_anchors(tree, rendered, body, offset, shown, diags, book_ids):
            continue
        if not _check_langs(tree, body, offset, shown, diags):
            continue
        chapters.append(Chapter(
            source=shown, id=chapter_id, kind=front.get("type", "chapter"), title=title,
            html=html, headings=headings, footnotes=tuple(rendered.footnotes),
            lang=front.get("lang")))

    if meta.cover_image:
        path = source.resolve(meta.cover_image)
        cover_line = _key_line(yaml_text, "cover-image")
        if path is None or not path.is_file():
            diags.add("book.yaml", cover_line, "W205", f"cover image `{meta.cover_image}` does "
                      "not exist under the source folder")
        else:
            key = _image(source, source.root / "book.yaml", meta.cover_image, "book.yaml",
                         cover_line, diags, resources)
            problem = check_cover_image(resources[key]) if key else None
            if problem:
                diags.add("book.yaml", cover_line, "W205", problem)
    diags.raise_if_any()
    return Book(meta=meta, chapters=tuple(chapters),
                resources=tuple(sorted(resources.values(), key=lambda r: r.path)),
                build_date=build_date(meta.date, epoch), sources=tuple(sources.items()))
