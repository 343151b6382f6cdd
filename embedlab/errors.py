"""Errors a user can cause, each with a message written for that user.

Pages show ``str(error)`` as it is and tests assert on it, so every message says
what went wrong and what to do next. Anything that is *not* an ``EmbedlabError``
is a bug in embedlab and is reported as such.

Messages are translatable: raise with an English template marked ``N_()`` and its
values as keywords, ``raise CorpusError(N_("{name} is empty."), name=name)``. The
template is the error's stable ``message_id``; ``str(error)`` renders it in the current
language (``embedlab.i18n``), so the CLI reads English and a Chinese session Chinese.
"""

from __future__ import annotations

from typing import Any

from embedlab.i18n import N_, render


class EmbedlabError(Exception):
    """Base class: something the user can understand and fix.

    ``message_id`` is the untranslated template and ``params`` its values: a UI or a test
    can match on the id whatever the language.
    """

    def __init__(self, message: Any = "", *args: Any, **params: Any) -> None:
        super().__init__(message, *args)
        self.message_id = str(message)
        self.params = params

    def __str__(self) -> str:
        return render(self.message_id, self.params) if self.message_id else super().__str__()


class CorpusError(EmbedlabError):
    """A corpus file cannot be used as it is."""


class EmptyCorpusError(CorpusError):
    """The file is empty, or nothing is left after tokenising it."""


class BinaryFileError(CorpusError):
    """The file is not text (an image, an archive, a pickle...)."""


class FileTooLargeError(EmbedlabError):
    """A file is above the size we agreed to handle."""


class VocabularyError(EmbedlabError):
    """No word survives the vocabulary filter (min_count, max_vocab)."""


class Cancelled(EmbedlabError):
    """The user cancelled a long-running job."""

    def __init__(self, message: str = N_("Cancelled by the user; nothing was saved from this run."),
                 **params: Any) -> None:
        super().__init__(message, **params)


class UnknownWordError(EmbedlabError, KeyError):
    """A query word is not in the model's vocabulary (and the model cannot compose it)."""

    def __init__(self, word: str, suggestions: list[str] | None = None) -> None:
        self.word = word
        self.suggestions = list(suggestions or [])
        if self.suggestions:
            super().__init__(N_("'{word}' is not in this model's vocabulary. Closest known spellings: {suggestions}."),
                             word=word, suggestions=", ".join(self.suggestions))
        else:
            super().__init__(N_("'{word}' is not in this model's vocabulary."), word=word)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return EmbedlabError.__str__(self)


class VectorFormatError(EmbedlabError):
    """A vector file is malformed; the message names the line or byte offset."""


class UnsafeFileError(EmbedlabError):
    """A file would need unpickling (arbitrary code execution) to be read."""


class NotFoundError(EmbedlabError):
    """Something the workspace does not hold (or no longer holds); see the three kinds below."""


class ModelNotFoundError(NotFoundError):
    """A model id that is not (or no longer) in the workspace."""


class CorpusNotFoundError(NotFoundError):
    """A corpus id that is not (or no longer) in the workspace."""


class ComparisonNotFoundError(NotFoundError):
    """A comparison id that is not (or no longer) in the workspace."""


class ParameterError(EmbedlabError):
    """A parameter value that cannot work (e.g. max_n < min_n)."""


class DiskFullError(EmbedlabError):
    """The disk (or the user's quota) is full; the message says where and how much was needed."""
