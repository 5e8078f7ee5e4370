"""The Jinja environment every writer renders with: autoescape on, undefined is an error."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import jinja2
from markupsafe import Markup


def templates_dir() -> Path:
    """The templates: installed (wheel, `pip install .`), the data package
    `warraq._templates` inside the package; in a source checkout (editable install),
    templates/ at the project's root, which is what the wheel carries."""
    packaged = Path(str(files(__package__))).resolve() / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


#: templates/, grouped by output (epub/, pdf/, shared/, cover/).
TEMPLATES_DIR = templates_dir()


def templates_digest(skip: tuple[str, ...] = ()) -> str:
    """A digest of the templates (every group but those in `skip`, e.g. `("epub",)`):
    their part of a cache key (`warraq.cache`)."""
    from .cache import tree_digest
    return tree_digest(TEMPLATES_DIR, skip=skip)


@lru_cache(maxsize=4)
def environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=jinja2.select_autoescape(disabled_extensions=("css",), default=True,
                                            default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Chapter bodies are checked, sanitised XHTML made by the loader: mark them safe.
    env.filters["xhtml"] = Markup
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> str:
    """A CSS string literal (for text that CSS shows, such as running heads)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
