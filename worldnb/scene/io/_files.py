"""File plumbing shared by every format: path checks, atomic writes, bounded reads.

Errors: a path that cannot be used (missing file, missing folder, a folder or a FIFO
where a file is expected, a name over the OS limit, a full disk, an unknown extension)
is an :class:`InputError`; a file whose content cannot be read is a
:class:`FormatError` naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ...errors import FormatError, InputError, WorldnbError

try:  # advisory locks mark a temporary file as being written (POSIX only)
    import fcntl
except ImportError:  # pragma: no cover - Windows: stale temporary files are left alone
    fcntl = None

#: Largest file any loader reads into memory (bytes); larger files are refused.
MAX_FILE_BYTES = 8 << 30
#: Files are read in chunks of this many bytes, so memory follows the file's real size.
CHUNK_BYTES = 1 << 20

# The process umask, read once at import (reading it means setting it; not thread-safe
# later). New files get the permissions open() would give them, not mkstemp's 0600.
_UMASK = os.umask(0o022)
os.umask(_UMASK)

# What to do about the OS errors a path or a write can meet.
_HINTS = {
    errno.ENAMETOOLONG: "the path is too long for the file system; use a shorter name or folder",
    errno.ENOSPC: "the disk is full; free some space or choose another folder",
    errno.EDQUOT: "the disk quota is used up; free some space or choose another folder",
    errno.EFBIG: "the file would be too large for this file system or the process's file "
    "size limit (ulimit -f); choose another folder or raise the limit",
    errno.EACCES: "permission denied; choose a folder you can write to",
    errno.EPERM: "operation not permitted; choose a folder you can write to",
    errno.EROFS: "the file system is read-only; choose a writable folder",
    errno.ELOOP: "the path has a symlink loop",
    errno.EIO: "the device reported an I/O error",
}
# The name of a temporary file: ``.<target name>.<8 random characters>.tmp``, the target
# name shortened so that the whole stays within the usual 255-byte limit.
_TMP_SUFFIX = ".tmp"
_TMP_NAME_CHARS = 200


def os_problem(path: Path, exc: OSError, doing: str, *, kept: bool = False) -> InputError:
    """An :class:`InputError` for an OS error met while ``doing`` something with ``path``."""
    reason = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno, "check the path and the folder's permissions")
    old = "; any file that was there is unchanged" if kept else ""
    return InputError(f"{path}: cannot {doing}: {reason}; {hint}{old}")


def check_scene(scene):
    """``scene`` itself when it is a :class:`~worldnb.scene.Scene`, else an InputError."""
    from ..scene import Scene

    if not isinstance(scene, Scene):
        raise InputError(f"scene: expected a worldnb.Scene, got {type(scene).__name__}")
    scene._check_metadata()
    return scene


def as_path(path, what: str = "path") -> Path:
    """``path`` as a :class:`Path` (str or os.PathLike), or an InputError."""
    if isinstance(path, bytes) or not isinstance(path, str | os.PathLike):
        raise InputError(f"{what}: expected a file path (str or pathlib.Path), got {path!r}")
    p = Path(path).expanduser()
    if not str(p) or str(p) == ".":
        raise InputError(f"{what}: expected a file path, got an empty string")
    if "\x00" in str(p):
        raise InputError(f"{what}: a path cannot hold a NUL character, got {str(p)!r}")
    return p


def _stat(path: Path, doing: str) -> os.stat_result | None:
    """``os.stat`` (following links); None when nothing is there; other OS errors → InputError."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise os_problem(path, exc, doing) from None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "a special file"


def is_folder(path: Path) -> bool:
    """Whether ``path`` is an existing folder; OS errors other than "missing" (a name
    too long, a symlink loop) are InputErrors."""
    st = _stat(path, "read it")
    return st is not None and stat.S_ISDIR(st.st_mode)


def check_readable(path: Path) -> Path:
    """An existing regular file, or an InputError saying what is wrong with the path.

    FIFOs, sockets and devices are refused before they are opened (opening a FIFO
    blocks until someone writes to it).
    """
    st = _stat(path, "read it")
    if st is None:
        raise InputError(f"{path}: no such file; check the path (cwd is {Path.cwd()})")
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder, expected a file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: is {_kind(st.st_mode)}, not a regular file; pass a file")
    return path


def write_target(path: Path) -> Path:
    """Where a write to ``path`` really goes: through symlinks to the file they name.

    Replacing a symlink with a new file would silently cut it from its target, so the
    target (which may not exist yet) is written instead.
    """
    try:
        if not path.is_symlink():
            return path
        return Path(os.path.realpath(path))
    except OSError as exc:
        raise os_problem(path, exc, "write it") from None


def check_writable_target(path: Path) -> Path:
    """The folder must exist; ``path`` must be absent or a regular file."""
    folder = path.parent
    st = _stat(folder, "write it")
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: the folder {folder} does not exist; create it first")
    st = _stat(path, "write it")
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise InputError(
            f"{path}: is {_kind(st.st_mode)}, not a regular file; worldnb does not "
            "replace it, give another file name"
        )
    return path


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The whole file, refusing files larger than ``limit`` (FormatError).

    Read in chunks, so memory follows the file's real size, never ``limit``.
    """
    what = "a regular file"
    try:
        with path.open("rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise FormatError(f"{path}: is {_kind(st.st_mode)}, not {what}")
            if st.st_size > limit:
                raise FormatError(
                    f"{path}: {st.st_size:,} bytes is more than the {limit:,} bytes allowed"
                )
            chunks, total = [], 0
            while chunk := f.read(min(CHUNK_BYTES, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:  # the file grew while we read it
                    raise FormatError(f"{path}: is more than the {limit:,} bytes allowed")
            return b"".join(chunks)
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


def _tmp_prefix(path: Path) -> str:
    return f".{path.name[:_TMP_NAME_CHARS]}."


def _lock(fd: int) -> bool:
    """Take the advisory write lock of an open file; False if someone else holds it."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def clean_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files that an interrupted write of ``path`` left behind.

    A writer holds a lock on its temporary file until the file is renamed into place,
    and the lock dies with its process; so a temporary file that can be locked belongs
    to nobody. Only names the writer makes are touched. Returns the files removed.
    """
    if fcntl is None:  # pragma: no cover
        return []
    pattern = re.compile(re.escape(_tmp_prefix(path)) + r"[A-Za-z0-9_]{8}" + re.escape(_TMP_SUFFIX))
    removed = []
    try:
        names = [n for n in os.listdir(path.parent) if pattern.fullmatch(n)]
    except OSError:
        return removed
    for name in names:
        tmp = path.parent / name
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode) and _lock(fd):
                os.unlink(tmp)
                removed.append(tmp)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _locked_temporary(path: Path) -> tuple[int, str]:
    """A new temporary file next to ``path``, open and locked (see
    :func:`clean_stale_temporaries`)."""
    for _ in range(8):
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=_tmp_prefix(path), suffix=_TMP_SUFFIX, dir=path.parent
            )
        except OSError as exc:
            raise os_problem(path, exc, f"write in {path.parent}", kept=True) from None
        # a cleaner may have taken the file between mkstemp and the lock: check it is ours
        try:
            if _lock(fd) and os.stat(tmp).st_ino == os.fstat(fd).st_ino:
                return fd, tmp
        except FileNotFoundError:
            pass
        os.close(fd)
    raise InputError(f"{path}: could not create a temporary file in {path.parent}; try again")


def atomic_write(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Write a file so that it either appears complete or not at all.

    ``write`` fills a temporary file in the same folder; it is flushed, fsynced and
    moved over ``path`` with :func:`os.replace`. On any failure the temporary file is
    removed and ``path`` is left as it was (absent, or its old content). A symlink is
    followed: its target is written and the link stays. Temporary files left by writes
    that were killed are removed first. Inside :func:`all_or_nothing` the move waits
    for the end of the block.

    Raises:
        InputError: the path is unusable, or the OS refused the write (disk full, file
            too large, name too long, permissions), naming the path and what to do.
    """
    path = write_target(path)
    check_writable_target(path)
    clean_stale_temporaries(path)
    fd, tmp = _locked_temporary(path)
    try:
        f = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    staged = _staging.pending if hasattr(_staging, "pending") else None
    try:
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        write(f)
        f.flush()
        os.fsync(f.fileno())
        if fcntl is None:  # no locks (Windows), where an open file cannot be renamed
            f.close()
        if staged is not None:  # keep it open (and locked) until the block ends
            staged.append(_Staged(f, tmp, path))
            return path
        os.replace(tmp, path)  # still holding the lock: no cleaner can take it
    except BaseException as exc:
        with contextlib.suppress(OSError):
            f.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, WorldnbError) and exc.errno:
            raise os_problem(path, exc, "write it", kept=True) from None
        raise
    f.close()
    _sync_folder(path.parent)
    return path


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # make renames durable; not all systems allow it
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


class _Staged(NamedTuple):
    file: BinaryIO  # open, holding the lock
    tmp: str
    path: Path


_staging = threading.local()


@contextlib.contextmanager
def all_or_nothing() -> Iterator[None]:
    """Write several files so that all of them appear, or none changes.

    Every save and export inside the block writes its temporary file as usual; the
    files are moved into place only when the whole block succeeds. If anything fails
    (a later write, an error in between, Ctrl-C), every file that existed before is
    left exactly as it was and no new file appears. Should a move itself fail, the
    files already moved are put back from hard-link backups.

    Example:
        >>> import tempfile, worldnb
        >>> from worldnb.scene.io import all_or_nothing
        >>> scene, folder = worldnb.Scene(room=worldnb.Room.rectangle(4, 3)), tempfile.mkdtemp()
        >>> with all_or_nothing():
        ...     _ = scene.save(folder + "/room.wnb")
        ...     _ = scene.export(folder + "/room.json")
        >>> sorted(p.name for p in Path(folder).iterdir())
        ['room.json', 'room.wnb']
    """
    if hasattr(_staging, "pending"):  # nested: the outer block decides
        yield
        return
    pending: list[_Staged] = []
    _staging.pending = pending
    try:
        yield
        del _staging.pending
        _commit(pending)
    finally:
        if hasattr(_staging, "pending"):
            del _staging.pending
        for s in pending:
            s.file.close()
            with contextlib.suppress(OSError):
                os.unlink(s.tmp)


def _commit(pending: list[_Staged]) -> None:
    """Move staged files into place; on a failure, undo the moves already made."""
    paths = [s.path for s in pending]
    twice = sorted({str(p) for p in paths if paths.count(p) > 1})
    if twice:
        raise InputError(f"{twice[0]}: written twice in one all_or_nothing block")
    backups: list[str | None] = []
    done = 0
    try:
        for s in pending:  # hard links keep the old files until every move is made
            backup = None
            if os.path.lexists(s.path):
                fd, backup = _locked_temporary(s.path)
                os.close(fd)
                os.unlink(backup)
                try:
                    os.link(s.path, backup)
                except OSError:
                    backup = None
            backups.append(backup)
        for s in pending:
            os.replace(s.tmp, s.path)
            done += 1
    except OSError as exc:
        for s, backup in list(zip(pending, backups, strict=False))[:done]:
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, s.path)
                else:
                    os.unlink(s.path)
        failed = pending[min(done, len(pending) - 1)].path
        raise os_problem(failed, exc, "write it", kept=True) from None
    finally:
        for backup in backups:
            if backup is not None:
                with contextlib.suppress(OSError):
                    os.unlink(backup)
    for folder in {s.path.parent for s in pending}:
        _sync_folder(folder)
