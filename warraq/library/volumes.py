"""The volumes of a library: books whose `contents` names other book folders of it
(`warraq.readers.volume`). A volume's inputs are its own folder's files and every
article folder it names, so editing an article rebuilds the volumes holding it; volumes
are queued after the articles (each reads its articles' sources itself, so it needs none
of their outputs)."""

from __future__ import annotations

from pathlib import Path

from ..readers.volume import article_folder, folder_entries


def article_folders(book_dir: Path, library: Path) -> tuple[Path, ...]:
    """The article folders a book's book.yaml names inside the library (none for a book
    that is no volume; an entry the build will refuse is left out here)."""
    try:
        text = (book_dir / "book.yaml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    found = []
    for entry in folder_entries(text):
        folder = article_folder(book_dir.resolve(), library.resolve(), entry)
        if folder is not None and folder.is_dir() and folder not in found:
            found.append(folder)
    return tuple(found)


def volumes_last(books: list[tuple[str, Path]], library: Path
                 ) -> list[tuple[str, Path, tuple[Path, ...]]]:
    """(slug, folder, article folders) of every book, the volumes after the others."""
    with_articles = [(slug, folder, article_folders(folder, library)) for slug, folder in books]
    return ([b for b in with_articles if not b[2]] + [b for b in with_articles if b[2]])
