"""Extra validators that other packages plug into the scenario checker.

`crm` checks a pack's structure; what only the outside world understands (the scripted
customers' steps, played by `softphone`) is checked by a validator that package registers at
start-up — `crm` never imports `softphone` (DESIGN §2, one direction). A validator receives the
whole document and yields ``(path, message)`` pairs; it must tolerate a malformed document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

ExtraValidator = Callable[[dict], Iterable[tuple[str, str]]]

_VALIDATORS: dict[str, ExtraValidator] = {}


def register_validator(name: str, validator: ExtraValidator) -> None:
    """Plug a validator in (registering the same name again replaces it: idempotent)."""
    _VALIDATORS[name] = validator


def extra_validators() -> dict[str, ExtraValidator]:
    """The registered validators by name."""
    return dict(_VALIDATORS)
