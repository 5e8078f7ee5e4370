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
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml
from PIL import Image

from .cover import check_cover_image
from .errors import Diagnostics, SourceError, source_error
from .markdown import make_parser, render
from .model import Book, Chapter, Heading, Resource
from .schema import (CHAPTER_TYPES, FRONT_MATTER_KEYS, _Ctx, mapping_items, parse_metadata,
                     parse_yaml)
from .text import xml_id
from .xhtml import parse_fragment, serialise_children, text_of

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


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
        data = path.read_bytes()
    except OSError as exc:
        diags.add(shown, None, "W206", f"cannot read the file: {exc.strerror}")
        return None
    if len(data) > MAX_FILE_BYTES:
        diags.add(shown, None, "W206", f"the file is larger than {MAX_FILE_BYTES // 2**20} MB")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        diags.add(shown, line, "W203", f"byte 0x{data[exc.start]:02x} is not UTF-8: save the "
                  "file as UTF-8")
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


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
        else:
            values[key] = value.strip()
    return values, body, offset


def _image(source: _Source, md_path: Path, src: str, shown: str, line: int,
           diags: Diagnostics, cache: dict[str, Resource]) -> str | None:
    """Check an image a chapter names; return its path relative to the source folder."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        diags.add(shown, line, "W307", f"image `{src}` is not a file of the book: images must "
                  "be files under the source folder (nothing is fetched)")
        return None
    base = PurePosixPath(source.relative(md_path.parent))
    path = source.resolve((base / unquote(parts.path)).as_posix())
    if path is None:
        diags.add(shown, line, "W307", f"image `{src}` is outside the source folder")
        return None
    key = source.relative(path)
    if key in cache:
        return key
    if not path.is_file():
        diags.add(shown, line, "W306", f"image `{src}` does not exist")
        return None
    if path.stat().st_size > MAX_IMAGE_BYTES:
        diags.add(shown, line, "W306", f"image `{src}` is larger than "
                  f"{MAX_IMAGE_BYTES // 2**20} MB")
        return None
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind, (width, height) = img.format, img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError(f"{width}×{height} pixels is too many")
            img.verify()
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        diags.add(shown, line, "W306", f"image `{src}` is not a usable image ({exc})")
        return None
    if kind not in IMAGE_TYPES:
        diags.add(shown, line, "W306", f"image `{src}` is {kind}: use PNG or JPEG")
        return None
    cache[key] = Resource(key, IMAGE_TYPES[kind], data, width, height)
    return key


def _fix_images(html: str, mapping: dict[str, str]) -> str:
    """Point every <img> at its checked path (relative to the source folder)."""
    if not mapping or "<img" not in html:
        return html
    wrapper = parse_fragment(html)
    for img in wrapper.iter("img"):
        img.set("src", mapping.get(img.get("src", ""), img.get("src", "")))
    return serialise_children(wrapper)


def _with_title(html: str, headings: tuple[Heading, ...], title: str, chapter_id: str
                ) -> tuple[str, tuple[Heading, ...]]:
    """Make sure the chapter opens with a level-1 heading (its title)."""
    if headings and headings[0].level == 1:
        return html, headings
    heading = Heading(1, title, f"{chapter_id}-title")
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<h1 id="{heading.id}">{escaped}</h1>\n' + html, (heading,) + headings


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
    text = _read_text(yaml_path, "book.yaml", diags)
    diags.raise_if_any()
    meta, contents_lines = parse_metadata(text or "")
    sources = {"book.yaml": text or ""}

    md = make_parser()
    chapters: list[Chapter] = []
    resources: dict[str, Resource] = {}
    seen_files: dict[Path, str] = {}
    used_ids: set[str] = set()
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
        rendered = render(md, body, chapter_id, shown, offset, diags)
        headings = tuple(rendered.headings)
        title = front.get("title") or (headings[0].text if headings else "")
        if not title:
            diags.add(shown, offset + 1, "W303", "the chapter has no heading and no `title` in "
                      "front matter: start it with `# Title`")
            continue
        mapping = {}
        for src, img_line in rendered.images:
            fixed = _image(source, path, src, shown, img_line, diags, resources)
            if fixed:
                mapping[src] = fixed
        lines = dict(rendered.images)
        for img in parse_fragment(rendered.html).iter("img"):
            if not (img.get("alt") or "").strip():
                src = img.get("src", "")
                diags.add(shown, lines.get(src), "W309", f"image `{src}` has no alternative "
                          "text: describe it between the brackets, ![what it shows](file)")
        html = _fix_images(rendered.html, mapping)
        html, headings = _with_title(html, headings, title, chapter_id)
        if not text_of(parse_fragment(html)):
            diags.add(shown, offset + 1, "W302", "the chapter has no text")
            continue
        chapters.append(Chapter(
            source=shown, id=chapter_id, kind=front.get("type", "chapter"), title=title,
            html=html, headings=headings, footnotes=tuple(rendered.footnotes),
            lang=front.get("lang")))

    if meta.cover_image:
        path = source.resolve(meta.cover_image)
        if path is None or not path.is_file():
            diags.add("book.yaml", None, "W205", f"cover image `{meta.cover_image}` does not "
                      "exist under the source folder")
        else:
            key = _image(source, source.root / "book.yaml", meta.cover_image, "book.yaml", None,
                         diags, resources)
            problem = check_cover_image(resources[key]) if key else None
            if problem:
                diags.add("book.yaml", None, "W205", problem)
    diags.raise_if_any()
    return Book(meta=meta, chapters=tuple(chapters),
                resources=tuple(sorted(resources.values(), key=lambda r: r.path)),
                build_date=build_date(meta.date, epoch), sources=tuple(sources.items()))
