"""File plumbing shared by every format: path checks, atomic writes, bounded reads.

Errors: a path that cannot be used (missing file, missing folder, a folder where a
file is expected, an unknown extension) is an :class:`InputError`; a file whose
content cannot be read is a :class:`FormatError` naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ...errors import FormatError, InputError, WorldnbError

#: Largest file any loader reads into memory (bytes); larger files are refused.
MAX_FILE_BYTES = 8 << 30

# The process umask, read once at import (reading it means setting it; not thread-safe
# later). New files get the permissions open() would give them, not mkstemp's 0600.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def check_scene(scene):
    """``scene`` itself when it is a :class:`~worldnb.scene.Scene`, else an InputError."""
    from ..scene import Scene

    if not isinstance(scene, Scene):
        raise InputError(f"scene: expected a worldnb.Scene, got {type(scene).__name__}")
    return scene


def as_path(path, what: str = "path") -> Path:
    """``path`` as a :class:`Path` (str or os.PathLike), or an InputError."""
    if isinstance(path, bytes) or not isinstance(path, str | os.PathLike):
        raise InputError(f"{what}: expected a file path (str or pathlib.Path), got {path!r}")
    p = Path(path).expanduser()
    if not str(p) or str(p) == ".":
        raise InputError(f"{what}: expected a file path, got an empty string")
    return p


def check_readable(path: Path) -> Path:
    """An existing regular file, or an InputError saying what is wrong with the path."""
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path (cwd is {Path.cwd()})")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a file")
    return path


def check_writable_target(path: Path) -> Path:
    """The folder must exist and ``path`` must not be a folder."""
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"{path}: the folder {folder} does not exist; create it first")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a file name")
    return path


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole file, refusing files larger than ``limit`` (FormatError)."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise FormatError(f"{path}: {size:,} bytes is more than the {limit:,} bytes allowed")
        with path.open("rb") as f:
            return f.read(limit + 1)
    except OSError as exc:
        raise FormatError(f"{path}: could not read the file ({exc.strerror or exc})") from None


@contextlib.contextmanager
def reading(path: Path, what: str) -> Iterator[None]:
    """Turn anything that goes wrong while parsing ``path`` into a :class:`FormatError`.

    A parser raises FormatError for the problems it knows; InputError from the scene
    classes means the file holds invalid values; anything else (a library's own
    exception on garbled bytes, MemoryError, RecursionError) is reported with its type.
    """
    try:
        yield
    except FormatError:
        raise
    except InputError as exc:
        raise FormatError(
            f"{path}: not a valid {what} file: it holds invalid data ({exc})"
        ) from None
    except WorldnbError:
        raise
    except Exception as exc:  # every parser failure must become a FormatError
        msg = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        raise FormatError(
            f"{path}: not a valid {what} file (truncated or corrupt?): "
            f"{type(exc).__name__}{': ' + msg if msg else ''}"
        ) from None


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file so that it either appears complete or not at all.

    ``write`` fills a temporary file in the same folder; it is flushed, fsynced and
    moved over ``path`` with :func:`os.replace`. On any failure the temporary file is
    removed and ``path`` is left as it was (absent, or its old content).
    """
    check_writable_target(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot write in {path.parent} ({exc.strerror or exc}); "
            "choose a writable folder"
        ) from None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename durable; not all systems allow it
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return path
