"""Facebook fastText ``.bin`` models: the full model, so unseen words still get vectors.

gensim reads the format with ``struct`` (no pickle). Before handing it the file we
read the header ourselves and refuse a model whose word and n-gram matrices would
exceed the import cap: a 7 GB ``cc.en.300.bin`` should fail with a message, not
exhaust memory. The n-gram hashing is gensim's ``ft_ngram_hashes`` (the same as
fastText's), which ``SubwordModel`` uses too, so OOV vectors match gensim's.
"""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import numpy as np

from embedlab.errors import FileTooLargeError, VectorFormatError
from embedlab.i18n import _, N_
from embedlab.io.formats import FASTTEXT_MAGIC, MAX_IMPORT_ELEMENTS
from embedlab.progress import CancelToken, ProgressFn, check, no_progress
from embedlab.subword import SubwordModel

#: fastText's args header after magic and version: 12 int32 fields and a float64 (``t``)
_ARGS = struct.Struct("<12id")
_VOCAB = struct.Struct("<iiiq")


def peek_shape(path: Path, label: str) -> tuple[int, int, int]:
    """``(words, dims, buckets)`` from the header, checked against the import cap."""
    with open(path, "rb") as handle:
        head = handle.read(8 + _ARGS.size + _VOCAB.size)
    if len(head) < 8 + _ARGS.size + _VOCAB.size:
        raise VectorFormatError(N_("{label} is a fastText model cut short (only {n_bytes} bytes)."),
                                label=label, n_bytes=len(head))
    magic, version = struct.unpack("<ii", head[:8])
    if magic != FASTTEXT_MAGIC:
        raise VectorFormatError(N_("{label} is not a fastText binary model."), label=label)
    args = _ARGS.unpack(head[8:8 + _ARGS.size])
    dims, bucket = args[0], args[8]
    _, nwords, _, _ = _VOCAB.unpack(head[8 + _ARGS.size:])
    if dims < 1 or nwords < 0 or bucket < 0:
        raise VectorFormatError(N_("{label}: the fastText header is damaged (dims {dims}, words {nwords}, buckets {bucket})."),
                                label=label, dims=dims, nwords=nwords, bucket=bucket)
    elements = (nwords + bucket) * dims
    if elements > MAX_IMPORT_ELEMENTS:
        raise FileTooLargeError(
            N_("{label} holds {nwords:,} words and {bucket:,} n-gram buckets x {dims} dimensions = {elements:,} values; "
               "embedlab imports at most {max_import_elements:,}. Export the word vectors as .vec instead (top-N rows)."),
            label=label, nwords=nwords, bucket=bucket, dims=dims, elements=elements,
            max_import_elements=MAX_IMPORT_ELEMENTS)
    return nwords, dims, bucket


def read_fasttext_bin(
    path: Path,
    label: str = "The file",
    limit: int | None = None,
    on_progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[list[str], np.ndarray, np.ndarray, SubwordModel | None, dict]:
    """Words, writable matrix, counts and the n-gram model of a fastText ``.bin``."""
    from gensim.models.fasttext import load_facebook_vectors

    nwords, dims, bucket = peek_shape(path, label)
    on_progress(0, 1, _("Reading a fastText model ({nwords:,} words, {bucket:,} n-gram buckets)").format(
        nwords=nwords, bucket=bucket))
    check(cancel)
    logging.getLogger("gensim").setLevel(max(logging.getLogger("gensim").level, logging.WARNING))
    try:
        wv = load_facebook_vectors(str(path))
    except (struct.error, EOFError, ValueError, AssertionError, UnicodeDecodeError, MemoryError) as error:
        raise VectorFormatError(N_("{label} is not a complete fastText model ({error_type}: {error})."),
                                label=label, error_type=type(error).__name__, error=error) from None
    check(cancel)
    rows = len(wv.index_to_key) if limit is None else min(limit, len(wv.index_to_key))
    words = list(wv.index_to_key[:rows])
    matrix = np.array(wv.vectors[:rows], dtype=np.float32)
    counts = np.array([wv.get_vecattr(w, "count") or 0 for w in words], dtype=np.int64)
    subword = None
    if wv.max_n >= wv.min_n and wv.max_n > 0 and wv.bucket > 0:
        subword = SubwordModel(np.array(wv.vectors_ngrams, dtype=np.float32), int(wv.min_n), int(wv.max_n))
    on_progress(1, 1, _("Read {rows:,} vectors").format(rows=rows))
    return words, matrix, counts, subword, {"rows_in_file": len(wv.index_to_key), "dims": dims,
                                            "min_n": int(wv.min_n), "max_n": int(wv.max_n), "bucket": int(wv.bucket)}
