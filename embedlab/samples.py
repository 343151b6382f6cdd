"""The built-in corpora: embedlab's generated samples and the real ones gensim ships.

Nothing is downloaded: the generated samples live in ``sample_data/`` (made by
``sample_data/make_samples.py``) and gensim's test corpora come with the
installed package, read in place rather than copied into the repository. Tokenising one into the
workspace (once) is ``embedlab.workflows.ensure_sample_corpus``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from embedlab.config import CorpusParams
from embedlab.errors import CorpusError
from embedlab.i18n import N_, _

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


@dataclass(frozen=True)
class Sample:
    """A built-in corpus. ``title`` is also the corpus's stored name, so it stays English (an ``N_()``
    msgid; ``session_memory`` recognises shared work by it); ``shown_title()`` says it in the reader's language."""

    key: str
    title: str
    description: str
    path: Path
    params: CorpusParams
    metadata_path: Path | None = None
    #: "text" (sentences), or "documents": one labelled document a line, prepared for Doc2Vec
    kind: str = "text"

    @property
    def available(self) -> bool:
        return self.path.exists()

    def shown_title(self) -> str:
        return _(self.title)

    def shown_description(self) -> str:
        return _(self.description)


def _gensim_data(name: str) -> Path:
    """A file of gensim's bundled test data (gensim.test.utils.datapath), found without importing gensim.

    Importing gensim takes a second or more, and the Map, Neighbours and Compare pages list the
    samples on their first run (to find a model's item titles): they should not pay for it.
    """
    spec = importlib.util.find_spec("gensim")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("gensim is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "test" / "test_data" / name


def builtin_samples() -> list[Sample]:
    """Every sample corpus this installation has, in the order the Corpus page lists them."""
    samples = [
        Sample("english", N_("English sample (planted relations)"),
               N_("Generated sentences with planted relations: king/queen, man/woman, country/capital, plurals, "
                  "tenses. Trains in seconds; king − man + woman finds queen."),
               SAMPLE_DIR / "english.txt", CorpusParams("words")),
        Sample("chinese", N_("Chinese sample (中文示例)"),
               N_("Generated Chinese sentences (国王/女王, 男人/女人, 国家/首都), segmented with jieba."),
               SAMPLE_DIR / "chinese.txt", CorpusParams("chinese")),
        Sample("sessions", N_("Shopping sessions (Item2Vec)"),
               N_("One user session of product IDs per line; items.csv gives each item's title and category."),
               SAMPLE_DIR / "sessions.txt", CorpusParams("ids", lowercase=False), SAMPLE_DIR / "items.csv"),
        Sample("documents", N_("Labelled documents (Doc2Vec)"),
               N_("3,000 short generated documents on six topics (sport, cooking, science, travel, music, finance), "
                  "one a line after its label and a tab. Doc2Vec maps them by topic."),
               SAMPLE_DIR / "documents.txt", CorpusParams("words"), kind="documents"),
    ]
    for key, name, title, description in [
        ("lee", "lee_background.cor", N_("Lee news corpus (gensim)"),
         N_("300 Australian news articles (Lee et al. 2005), shipped with gensim.")),
        ("crime", "crime-and-punishment.txt", N_("Crime and Punishment excerpt (gensim)"),
         N_("Dostoevsky, English translation, shipped with gensim.")),
    ]:
        try:
            samples.append(Sample(key, title, description, _gensim_data(name), CorpusParams("words")))
        except Exception:  # gensim without its test data: just fewer samples
            continue
    return [s for s in samples if s.available]


def get_sample(key: str) -> Sample:
    for sample in builtin_samples():
        if sample.key == key:
            return sample
    raise CorpusError(N_("There is no built-in sample called {key}."), key=repr(key))


def shown_corpus_name(name: str) -> str:
    """A corpus's name as the reader sees it: a built-in sample's title in the reader's language, any
    other name (the user's) exactly as it is (data is never looked up in a catalogue)."""
    titles = {s.title for s in builtin_samples()}
    return _(name) if name in titles else name


class CorpusName:
    """A corpus name inside a ``Message`` (a job's title), said when shown: a built-in sample's title in the
    reader's language, the user's own names as they are. A job's record keeps the stored (English) name and
    marks it, so the title reads in the reader's language after a server restart too."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return shown_corpus_name(self.name)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CorpusName) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"CorpusName({self.name!r})"
