"""Reading a scenario file: encoding, YAML syntax errors and duplicate keys, then validation."""

from __future__ import annotations

from pathlib import Path

import yaml

from .checker import validate_scenario
from .problems import ScenarioProblem

# libyaml's parser when PyYAML was built with it: several times faster on a large pack.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """A safe loader that notes duplicate keys, which plain YAML silently overwrites."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node, deep=False):
        """Build a mapping, remembering any key written twice in it (merge keys excepted)."""
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                if key_node.value in seen:
                    mark = key_node.start_mark
                    self.duplicates.append(
                        f"line {mark.line + 1}, column {mark.column + 1}: key {key_node.value!r}"
                        " appears twice in the same mapping (YAML would keep only the last one)"
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def load_scenario_file(path: str | Path) -> tuple[dict | None, list[ScenarioProblem]]:
    """Read and check a scenario file: (document or None, every problem found)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [ScenarioProblem(name, "", f"the file is not UTF-8 text: {exc}")]
    except OSError as exc:
        return None, [ScenarioProblem(name, "", f"cannot read the file: {exc.strerror or exc}")]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [ScenarioProblem(name, "", _yaml_error(exc))]
    except yaml.YAMLError as exc:
        return None, [ScenarioProblem(name, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [ScenarioProblem(name, "", "YAML error: the document is nested too deeply")]
    finally:
        loader.dispose()
    problems = [ScenarioProblem(name, "", message) for message in loader.duplicates]
    problems += validate_scenario(data, name)
    return (data if isinstance(data, dict) else None), problems


def _at(mark) -> str:
    """YAML marks count from 0; people count lines and columns from 1."""
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _yaml_error(exc: yaml.MarkedYAMLError) -> str:
    """Where the parser stopped, what it expected, and where the unfinished construct began."""
    mark = exc.problem_mark or exc.context_mark
    message = "YAML syntax error" + (f" at {_at(mark)}" if mark else "")
    message += f": {exc.problem or exc.context or 'invalid YAML'}"
    if exc.context and exc.problem:
        started = f" started at {_at(exc.context_mark)}" if exc.context_mark else ""
        message += f" ({exc.context}{started})"
    return message
