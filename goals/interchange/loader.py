"""Reading a strategy document's YAML safely: bounded in size, depth and aliases.

`load_yaml` returns the parsed data, the line of every path (for error messages) and the problems
that stop the document being read at all. Before anything is built it refuses a file larger than
`settings.IMPORT_MAX_BYTES`, any YAML alias (`*name`: a "billion laughs" document expands aliases
into billions of values) and nesting deeper than `MAX_DEPTH`, so memory and time stay in
proportion to the file's size.
"""

from __future__ import annotations

from typing import Any

import yaml
from django.conf import settings

from goals.interchange.schema import DOCUMENT, DocumentError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50  # a strategy document nests about ten levels deep

_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def max_bytes() -> int:
    """The largest file an import reads: settings.IMPORT_MAX_BYTES, 5 MB unless set."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_error(size: int) -> DocumentError | None:
    """The error for a file of `size` bytes when it is over the limit, else None."""
    limit = max_bytes()
    if size <= limit:
        return None
    return DocumentError(
        DOCUMENT, f"the file is {_megabytes(size)}; the largest file an import reads is {_megabytes(limit)}"
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is reported at its place, not fatally."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def load_yaml(text: str | bytes) -> tuple[Any, dict[str, int], list[DocumentError]]:
    """Parse YAML text: (data, {path: line}, errors). Duplicate keys are errors, not overwrites.

    A file over the size limit, an alias or nesting deeper than MAX_DEPTH is refused before any
    of the document is built."""
    too_big = size_error(len(text) if isinstance(text, bytes) or len(text) > max_bytes() else len(text.encode()))
    if too_big:
        return None, {}, [too_big]
    refused = _refused(text)
    if refused:
        return None, {}, [refused]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, [DocumentError(DOCUMENT, "the document is empty")]
        lines: dict[str, int] = {}
        errors: list[DocumentError] = []
        _index_lines(node, "", lines, errors)
        data = loader.construct_document(node)  # a key given twice keeps its last value
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or "not valid YAML"
        context = f" ({exc.context})" if exc.context else ""
        return None, {}, [DocumentError(DOCUMENT, f"YAML syntax error{where}: {problem}{context}")]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return None, {}, [DocumentError(DOCUMENT, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return data, lines, errors


def _refused(text: str | bytes) -> DocumentError | None:
    """A first pass over the parser's events (streamed, nothing built): the first alias or the
    first collection nested deeper than MAX_DEPTH stops it at once. Syntax errors are left to
    the real parse, which reports them with their place."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    return _at(event, f"the document nests more than {MAX_DEPTH} levels deep")
            elif isinstance(event, _CLOSES):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                return _at(
                    event,
                    f'YAML aliases are not accepted (found "*{event.anchor}"): write the value out in full',
                )
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _at(event, message: str) -> DocumentError:
    mark = event.start_mark
    return DocumentError(DOCUMENT, f"{message}, at line {mark.line + 1}, column {mark.column + 1}")


def _index_lines(node, path: str, lines: dict, errors: list) -> None:
    """Record the line of every path in the node tree; report keys given twice in one mapping."""
    lines.setdefault(path or DOCUMENT, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            child = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + 1
            if key in first_line:
                errors.append(DocumentError(child, f'"{key}" is given twice (first on line {first_line[key]})', line))
                continue
            first_line[key] = line
            lines[child] = line
            _index_lines(value_node, child, lines, errors)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, f"{path}[{index}]", lines, errors)
