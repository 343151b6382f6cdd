"""Vectors in and out: load pretrained files safely, export any model, import into the workspace.

Formats (detected from content, not the file name): word2vec text with a header
(also fastText ``.vec``), word2vec binary, GloVe text, fastText ``.bin`` (full
model: unseen words keep working), TensorFlow Embedding Projector ``vectors.tsv``
(+ ``metadata.tsv``), and embedlab's ``.npz``. Nothing is ever unpickled: gensim
``.model``/``.kv`` pickles and ``.npz`` files with object arrays are refused with
a message saying what to upload instead.

>>> import io, numpy as np
>>> from embedlab.vectors import WordVectors
>>> wv = WordVectors.from_matrix(["国王", "new_york"], np.array([[1.0, 2.0], [3.0, 4.0]]))
>>> export_bytes(wv, "glove").decode()
'国王 1 2\\nnew_york 3 4\\n'

A word with a space ('new york') is refused for the text formats (gensim splits lines on
spaces), with a message naming it; the ``.npz`` keeps every word as it is.
"""

from embedlab.io.formats import (FASTTEXT_BIN, FORMAT_LABELS, GLOVE, MAX_IMPORT_ELEMENTS, NPZ, PROJECTOR,
                                 WORD2VEC_BINARY, WORD2VEC_TEXT, detect_format)
from embedlab.io.importer import ALGORITHM, ImportResult, file_signature, find_import, import_vectors
from embedlab.io.reading import Loaded, assemble, read_vectors
from embedlab.io.writers import EXPORTS, check_words, export_bytes, export_filename, export_to_path, write_export

__all__ = [
    "ALGORITHM", "EXPORTS", "FASTTEXT_BIN", "FORMAT_LABELS", "GLOVE", "MAX_IMPORT_ELEMENTS", "NPZ", "PROJECTOR",
    "WORD2VEC_BINARY", "WORD2VEC_TEXT", "ImportResult", "Loaded", "assemble", "check_words", "detect_format",
    "export_bytes", "export_filename", "export_to_path", "file_signature", "find_import", "import_vectors",
    "read_vectors", "write_export",
]
