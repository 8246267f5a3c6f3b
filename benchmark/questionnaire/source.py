"""Read YAML into dicts and lists that remember the 1-based line of every key and value."""

from __future__ import annotations

from typing import Any

import yaml

from benchmark.questionnaire.errors import Problem

# libyaml parses about ten times faster; both parsers give the same node marks.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


class SourceMap(dict[Any, Any]):
    """A YAML mapping with the lines of its keys and values and the source text of scalars."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.value_lines: dict[Any, int] = {}
        #: As written in the file, e.g. "yes" for a key or value that YAML read as True.
        self.raw_keys: dict[Any, str | None] = {}
        self.raw_values: dict[Any, str | None] = {}

    def line_of(self, key: object) -> int:
        """The line of the value under `key`, else of the mapping itself."""
        return self.value_lines.get(key, self.line)


class SourceList(list[Any]):
    """A YAML sequence with the line and source text of each item."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []
        self.raw_items: list[str | None] = []


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _raw(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


class _Loader(_BaseLoader):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        #: Defects YAML itself tolerates (duplicate keys), as (line, message).
        self.notes: list[tuple[int, str]] = []


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> SourceMap:
    explicit = sum(1 for key, _ in node.value if key.tag != _MERGE_TAG)
    loader.flatten_mapping(node)
    # flatten_mapping puts pairs taken from `<<:` merges first; explicit keys override them.
    merged = len(node.value) - explicit
    data = SourceMap(_line(node))
    explicit_keys: set[Any] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            loader.notes.append((_line(key_node), "a key must be a word, not a list or mapping"))
            continue
        is_explicit = index >= merged
        if is_explicit and key in explicit_keys:
            loader.notes.append((
                _line(key_node),
                f"duplicate key '{_raw(key_node)}' (already given on line {data.key_lines[key]});"
                " YAML would silently keep only one of them",
            ))
            continue
        if is_explicit:
            explicit_keys.add(key)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = _line(key_node)
        data.value_lines[key] = _line(value_node)
        data.raw_keys[key] = _raw(key_node)
        data.raw_values[key] = _raw(value_node)
    return data


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> SourceList:
    data = SourceList(_line(node))
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(_line(item))
        data.raw_items.append(_raw(item))
    return data


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


def _yaml_error(exc: yaml.MarkedYAMLError, source: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    message = f"YAML syntax error: {exc.problem or exc.context or 'unreadable'}"
    if exc.context and exc.problem:
        context_line = exc.context_mark.line + 1 if exc.context_mark else line
        message += f" ({exc.context} on line {context_line})"
    return Problem(source, line, message)


def read_yaml(text: str, source: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML document into SourceMap/SourceList/scalars, with syntax problems."""
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [_yaml_error(exc, source)]
    except yaml.YAMLError as exc:
        return None, [Problem(source, 1, f"YAML syntax error: {exc}")]
    finally:
        loader.dispose()
    return data, [Problem(source, line, message) for line, message in loader.notes]
