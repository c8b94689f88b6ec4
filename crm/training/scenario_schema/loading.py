"""Reading a scenario file: encoding, YAML syntax errors and duplicate keys, then validation."""

from __future__ import annotations

from pathlib import Path

import yaml

from crm.i18n import lazy
from crm.i18n import lazy as _l
from crm.yaml_text import SafeLoader

from .checker import validate_scenario
from .problems import ScenarioProblem

# libyaml's parser when PyYAML was built with it: several times faster on a large pack.
_BaseLoader = SafeLoader


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
                        _l(
                            "%(where)s : la clé %(key)s apparaît deux fois dans le même mapping "
                            "(YAML ne garderait que la dernière)",
                            where=_at(mark),
                            key=repr(key_node.value),
                        )
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def load_scenario_file(path: str | Path) -> tuple[dict | None, list[ScenarioProblem]]:
    """Read and check a scenario file: (document or None, every problem found)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _l("le fichier n'est pas du texte UTF-8 : %(error)s", error=exc)
        return None, [ScenarioProblem(name, "", message)]
    except OSError as exc:
        message = _l("impossible de lire le fichier : %(error)s", error=exc.strerror or exc)
        return None, [ScenarioProblem(name, "", message)]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [ScenarioProblem(name, "", _yaml_error(exc))]
    except yaml.YAMLError as exc:
        return None, [ScenarioProblem(name, "", _l("erreur YAML : %(error)s", error=exc))]
    except RecursionError:
        message = _l("erreur YAML : le document est imbriqué trop profondément")
        return None, [ScenarioProblem(name, "", message)]
    finally:
        loader.dispose()
    problems = [ScenarioProblem(name, "", message) for message in loader.duplicates]
    problems += validate_scenario(data, name)
    return (data if isinstance(data, dict) else None), problems


def _at(mark):
    """YAML marks count from 0; people count lines and columns from 1 (a lazy message)."""
    return _l("ligne %(line)s, colonne %(column)s", line=mark.line + 1, column=mark.column + 1)


def _yaml_error(exc: yaml.MarkedYAMLError):
    """Where the parser stopped, what it expected, and where the unfinished construct began.

    The parser's own words (``exc.problem``, ``exc.context``) are PyYAML's English: quoted as
    they are, like a value.
    """
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        if exc.context_mark:
            context = _l(
                "%(context)s ; début à la %(where)s",
                context=exc.context,
                where=_at(exc.context_mark),
            )
        else:
            context = exc.context
        # Layout only, nothing to translate: `lazy` keeps the parts' own languages.
        problem = lazy("%(problem)s (%(context)s)", problem=problem, context=context)
    if mark:
        return _l(
            "erreur de syntaxe YAML à la %(where)s : %(problem)s", where=_at(mark), problem=problem
        )
    return _l("erreur de syntaxe YAML : %(problem)s", problem=problem)
