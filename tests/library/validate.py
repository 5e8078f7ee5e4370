"""Validators for the catalogue: the OPDS 1.2 RELAX NG schema (lxml) and the OPDS 2.0
JSON Schema (jsonschema), every reference resolved from tests/library/schemas/ and
never from the network."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"


@lru_cache(maxsize=1)
def opds1_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "opds1" / "opds.rng")))


def opds1_errors(data: bytes) -> list[str]:
    """The RELAX NG errors of an OPDS 1.2 document ([] when valid)."""
    schema = opds1_schema()
    doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(doc):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


@lru_cache(maxsize=1)
def _registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7
    resources = []
    for path in sorted(SCHEMAS.rglob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        # Every file is draft-07; without `$schema`, jsonschema keeps the validator class
        # below (with its `pattern`) when it follows a reference into the file.
        draft = contents.pop("$schema")
        assert draft == "http://json-schema.org/draft-07/schema#", path
        resources.append((contents["$id"], Resource.from_contents(
            contents, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


def _no_network(uri: str):
    raise LookupError(f"schema {uri} is not in tests/library/schemas (no network)")


def _pattern(validator, pattern, instance, schema):
    """JSON Schema's `pattern` with ECMA-262 named groups `(?<name>` read as Python's."""
    from jsonschema import ValidationError
    if validator.is_type(instance, "string") and not re.search(
            re.sub(r"\(\?<(?=[A-Za-z_])", "(?P<", pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def opds2_errors(doc: dict) -> list[str]:
    """The JSON Schema errors of an OPDS 2.0 feed ([] when valid)."""
    from jsonschema import Draft7Validator, validators
    from referencing import Registry
    registry = _registry()
    registry = Registry(retrieve=_no_network).with_resources(
        (uri, registry[uri]) for uri in registry)
    feed = registry["https://drafts.opds.io/schema/feed.schema.json"].contents
    cls = validators.extend(Draft7Validator, {"pattern": _pattern})
    validator = cls(feed, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]
