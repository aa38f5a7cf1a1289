"""The secret key that signs every link: given in the environment, or kept in the data directory.

No key is ever written in the source: anyone reading it could sign their own booking links
and session cookies. Without SECRET_KEY or SECRET_KEY_FILE the first start makes a random
key in `DATA_DIR/secret_key` (readable by its owner only) and every later start reads it.

This module is read before Django's settings exist (`alongside worker` looks for the key
before it loads them), so it reads the environment itself and imports nothing of Django's
but the key generator.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from django.core.management.utils import get_random_secret_key

FILE_NAME = "secret_key"
# `data` in the folder the command runs in (the repository's own data/ when run from its
# root), never inside the installed package: settings.DATA_DIR reads it here.
DEFAULT_DATA_DIR = Path("data")


def data_dir() -> Path:
    """DATA_DIR, or ./data, as an absolute path: a later change of directory moves nothing."""
    return Path(os.getenv("DATA_DIR") or DEFAULT_DATA_DIR).resolve()


def key_file(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / FILE_NAME


def given() -> bool:
    """Whether the environment names a key (SECRET_KEY or SECRET_KEY_FILE)."""
    return bool(os.getenv("SECRET_KEY") or os.getenv("SECRET_KEY_FILE"))


def read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it to have a new key made, or set SECRET_KEY")
    return key


def read_or_create(path: Path) -> str:
    """The key in `path`, made first if there is none.

    Two processes starting at once (a web server and a worker, two test workers) must end
    with the same key, so the new key is written in full to a private temporary file that
    is then linked into place: the link fails for the second, which reads the first's key,
    and nobody ever reads a half-written file.
    """
    if path.exists():
        return read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp opens with O_CREAT | O_EXCL and mode 0600 whatever the umask.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{FILE_NAME}-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(get_random_secret_key() + "\n")
            f.flush()
            os.fsync(f.fileno())
        # When another process made it first, its key is the one.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return read(path)
