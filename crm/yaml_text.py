"""YAML read with libyaml's parser when PyYAML was built with it.

`yaml.safe_load` always takes PyYAML's pure-Python parser, about ten times slower: close to a
second of CPU for one of the larger scenario packs. The safe loader of the C parser builds the
same plain data (mappings, lists, strings, numbers, dates, booleans, null) and refuses the
same tags.
"""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes):
    """The document in `text` as plain data (yaml.YAMLError when it is not YAML)."""
    return yaml.load(text, Loader=SafeLoader)
