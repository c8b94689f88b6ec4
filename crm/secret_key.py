"""The installation's own session-signing key, kept in the instance folder when none is given.

Without `SECRET_KEY` in the environment or the configuration, each installation generates a
random key on its first run and keeps it in `instance/secret_key` (owner read/write only). The
file is written under a temporary name and then hard-linked into place: a link never replaces an
existing file, so when several server processes start at once exactly one key wins and every
process reads that one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

FILENAME = "secret_key"
#: 64 hex characters: 256 random bits.
KEY_BYTES = 32


def instance_secret_key(instance_path: str | os.PathLike) -> str:
    """The key stored in `instance_path/secret_key`, created (0600, atomically) when missing."""
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILENAME
    if not path.exists():
        _create(path)
    return _read(path)


def _create(path: Path) -> None:
    """Write a fresh key beside `path` and link it into place unless another process did first."""
    temporary = path.with_name(f".{FILENAME}.{os.getpid()}.{secrets.token_hex(4)}")
    # O_EXCL and mode 0600 from the start: the key is never readable by others, even briefly.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        # FileExistsError: another process linked its key first, and everyone uses that one.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _read(path: Path) -> str:
    """The key in `path`; refuses a file others may read, or an empty one."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise RuntimeError(
            f"{path} is readable by other users (mode {mode:o}): run `chmod 600 {path}`, "
            "or set SECRET_KEY."
        )
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key: delete it to generate a new one.")
    return key
