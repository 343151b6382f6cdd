"""A full disk, said as such: where embedlab was writing, how much it needed, how much is free.

``OSError(ENOSPC)`` from deep inside numpy or a file copy used to reach the browser as
"a bug in embedlab" and the CLI as a traceback. Write sites that know their size wrap
themselves in ``reported(where, needed)``; the app's and the CLI's outer handlers turn
any other full-disk error into the same message with ``as_disk_full``. What was being
written is never left half-done (the callers write to temporary names first).
"""

from __future__ import annotations

import errno
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from embedlab.errors import DiskFullError
from embedlab.i18n import N_, Message

#: "no space left on device" and "disk quota exceeded"
FULL = {errno.ENOSPC, errno.EDQUOT}


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in FULL


def _free_bytes(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def _size(n: int) -> str:
    return f"{n / 1024**3:.1f} GB" if n >= 1024**3 else f"{max(n, 1) / 1024**2:.1f} MB"


def as_disk_full(error: OSError, where: Path | str | None = None, needed: int | None = None) -> DiskFullError:
    """The user's message for a full-disk ``error`` while writing ``where`` (about ``needed`` bytes)."""
    target = Path(where or error.filename or ".")
    free = _free_bytes(target)
    have = (Message(N_("{size} free there"), size=_size(free)) if free is not None
            else Message(N_("its free space is unknown")))
    need = Message(N_("it needed about {size}"), size=_size(needed)) if needed else Message(N_("it needed more than that"))
    return DiskFullError(N_("The disk is full: embedlab could not write {target} ({need}; {have}). Nothing "
                            "half-written was kept. Free some space (delete models or corpora you no longer need, "
                            "or the workspace's cache folder) and try again."), target=target, need=need, have=have)


@contextmanager
def reported(where: Path | str, needed: int | None = None) -> Iterator[None]:
    """Turn a full-disk ``OSError`` raised inside into a ``DiskFullError`` naming ``where`` and ``needed``."""
    try:
        yield
    except OSError as error:
        if is_disk_full(error):
            raise as_disk_full(error, where, needed) from None
        raise
