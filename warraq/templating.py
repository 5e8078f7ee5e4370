"""The Jinja environment every writer renders with: autoescape on, undefined is an error."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

#: templates/ at the project's root, grouped by output (epub/, pdf/, shared/).
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


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
