"""Who owns a temporary file or folder: a mark in its name, so leftovers of a dead process can be swept.

Everything that writes through a temporary name (the store's half-built models and corpora,
upload copies, a concordance index being built) puts ``owner_tag()`` in that name: the pid
of the process and a token drawn when it started. ``orphaned(name)`` then tells, from the
name alone, whether a running process may still finish it. This module is tiny and imports
nothing of embedlab, so the maths layer (``concordance``) and the store (``workspace``)
share one mark without the maths importing the store.
"""

from __future__ import annotations

import os
import re
import uuid

#: this process's token: tells a reused pid apart from the process that made a leftover
_TOKEN = uuid.uuid4().hex[:6]
_OWNER_RE = re.compile(r"p(\d+)x([0-9a-f]{6})")


def owner_tag() -> str:
    """The mark this process puts in the names of its temporary files and folders."""
    return f"p{os.getpid()}x{_TOKEN}"


def orphaned(name: str) -> bool:
    """Whether no running process can own the temporary file or folder ``name``.

    Unmarked names (made before marks existed) and marks of a process that has exited, or
    of an earlier process whose pid this one reuses, are orphans: after a restart nobody
    can finish or use them. Marks of running processes (this one too) are not.
    """
    found = _OWNER_RE.search(name)
    if found is None:
        return True
    pid, token = int(found.group(1)), found.group(2)
    if pid == os.getpid():
        return token != _TOKEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


#: a scratch name: '.<target>.<purpose>-<owner tag>-<anything>' beside the folder it will replace
_SCRATCH_RE = re.compile(r"^\.[^/]+\.(building|stale)-")


def scratch_prefix(target: str, purpose: str = "building") -> str:
    """The start of a temporary name beside ``target``, carrying this process's mark.

    ``purpose`` is ``building`` (written, then renamed to ``target``) or ``stale`` (an old
    ``target`` moved aside, being deleted). ``tempfile.mkdtemp(prefix=...)`` adds a random end.

    >>> scratch_prefix("concordance").startswith(".concordance.building-p")
    True
    """
    if purpose not in ("building", "stale"):
        raise ValueError(purpose)
    return f".{target}.{purpose}-{owner_tag()}-"


def is_scratch(name: str) -> bool:
    """Whether ``name`` is a ``scratch_prefix`` name (marked or made before marks existed)."""
    return _SCRATCH_RE.match(name) is not None


def is_partial_save(name: str) -> bool:
    """Whether ``name`` is a file being saved under a temporary name (renamed when complete): ``.<file>.<mark>-…tmp``
    of an atomic write, or a model's ``.snapshots-<mark>-….npz``.

    >>> is_partial_save(".manifest.json.p12x0a1b2c-k3j9.tmp"), is_partial_save("manifest.json")
    (True, False)
    """
    return name.startswith(".") and (name.endswith(".tmp") or (name.startswith(".snapshots-") and name.endswith(".npz")))
