"""Word2Vec through Apache Spark MLlib: for corpora larger than one machine trains comfortably.

Spark's ``pyspark.ml.feature.Word2Vec`` (skip-gram, hierarchical softmax) trains
partitions of the corpus in parallel and averages them after each iteration; Spark
does the distribution, embedlab only starts a session, reads the corpus, reports
progress and turns the result into a normal ``WordVectors`` model. Nothing here is
distributed by hand.

* ``train(params, corpus, ...)`` trains on a workspace corpus (its ``tokens.txt``: one
  sentence a line, tokens joined by spaces), like every other trainer.
* ``train_uri(params, uri, ...)`` trains on any path or URI Spark reads (a local file
  or folder, ``hdfs://``, ``s3a://``, a glob), without copying it here: Spark splits
  lines into words itself (letters and digits, split on everything else, lower-cased
  unless asked not to), as embedlab's ``words`` tokeniser does.

The session is one per process (Spark allows one ``SparkContext``); asking for another
master stops the old session first. Progress comes from Spark's status tracker (stages
and tasks), polled in a thread that also cancels the Spark job group when the user
cancels. Words are stored by descending corpus count, as every trainer stores them.

pyspark is an optional extra (``pip install embedlab[spark]``) and needs a Java runtime
(17 or newer); both are checked with a message that says what to install.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from embedlab.config import SparkWord2VecParams
from embedlab.corpus import PreparedCorpus
from embedlab.errors import Cancelled, EmbedlabError, VocabularyError
from embedlab.i18n import _, N_, bind_language
from embedlab.progress import CancelToken, ProgressFn, no_progress
from embedlab.train.base import TrainResult
from embedlab.vectors import WordVectors

ALGORITHM = "word2vec-spark"
#: seconds between two looks at Spark's status tracker
POLL_S = 0.5
#: Java regex of what separates words in a raw corpus Spark reads itself (embedlab's 'words' tokeniser)
WORD_SEPARATORS = r"[^\p{L}\p{N}_]+"

_session_lock = threading.Lock()


def check_available() -> None:
    """Raise a clear ``EmbedlabError`` when pyspark or a Java runtime is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise EmbedlabError(N_("Training with Spark needs pyspark: pip install 'embedlab[spark]' "
                               "(or pip install pyspark).")) from None
    java_home = os.environ.get("JAVA_HOME")
    if not shutil.which("java") and not (java_home and Path(java_home, "bin", "java").exists()):
        raise EmbedlabError(N_("Spark needs a Java runtime (17 or newer) and none was found: install one "
                               "(e.g. apt-get install default-jre-headless) or set JAVA_HOME."))


def session(master: str = "local[*]") -> Any:
    """The process's Spark session on ``master``, started on first use (a JVM: several seconds)."""
    check_available()
    from pyspark.sql import SparkSession

    with _session_lock:
        active = SparkSession.getActiveSession()
        if active is not None and active.sparkContext.master != master:
            active.stop()
        spark = (SparkSession.builder.master(master).appName("embedlab")
                 .config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")
                 .config("spark.sql.shuffle.partitions", "4")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        return spark


def stop_session() -> None:
    """Stop the process's Spark session, if any (frees the JVM's memory)."""
    from pyspark.sql import SparkSession

    with _session_lock:
        active = SparkSession.getActiveSession()
        if active is not None:
            active.stop()


class _Watcher:
    """Polls Spark's status tracker for one job group: progress out, cancel in."""

    def __init__(self, spark: Any, group: str, label: str, expected_stages: int, on_progress: ProgressFn,
                 cancel: CancelToken | None) -> None:
        self.sc, self.group, self.label = spark.sparkContext, group, label
        self.expected, self.on_progress, self.cancel = max(expected_stages, 1), on_progress, cancel
        self.cancelled = False
        self._stop = threading.Event()
        self._seen_stages: set[int] = set()
        # the watcher thread reports in the language of the job that started it
        self._thread = threading.Thread(target=bind_language(self._run), daemon=True, name="embedlab-spark-progress")

    def __enter__(self) -> "_Watcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        tracker = self.sc.statusTracker()
        while not self._stop.wait(POLL_S):
            if self.cancel is not None and self.cancel.cancelled and not self.cancelled:
                self.cancelled = True
                self.sc.cancelJobGroup(self.group)
            try:
                jobs = tracker.getJobIdsForGroup(self.group)
                active = [s for s in tracker.getActiveStageIds()]
            except Exception:  # noqa: BLE001 - the JVM is going away; the fit reports the real error
                return
            self._seen_stages.update(active)
            tasks = [tracker.getStageInfo(s) for s in active]
            detail = ", ".join(_("stage {stage}: {done}/{total} tasks").format(
                stage=s, done=i.numCompletedTasks, total=i.numTasks) for s, i in zip(active, tasks) if i)
            finished = max(len(self._seen_stages) - len(active), 0)
            fraction = min(0.95, 0.05 + 0.9 * finished / self.expected)
            if detail:
                message = _("{label}: {n_jobs} Spark job(s) so far; {detail}").format(
                    label=self.label, n_jobs=len(jobs), detail=detail)
            else:
                message = _("{label}: {n_jobs} Spark job(s) so far").format(label=self.label, n_jobs=len(jobs))
            self.on_progress(fraction, 1.0, message)


def train(params: SparkWord2VecParams, corpus: PreparedCorpus, on_progress: ProgressFn = no_progress,
          cancel: CancelToken | None = None) -> TrainResult:
    """Train on a workspace corpus (already tokenised); see the module docstring."""
    path = Path(corpus.tokens_path).resolve()
    return _train(params, lambda spark: _tokens_frame(spark, params.master, path), corpus.fingerprint,
                  {"corpus_source": "workspace"}, on_progress, cancel)


def train_uri(params: SparkWord2VecParams, uri: str, lowercase: bool = True, on_progress: ProgressFn = no_progress,
              cancel: CancelToken | None = None) -> TrainResult:
    """Train on text Spark reads from ``uri`` (one sentence or document a line), tokenised by Spark."""
    uri = str(uri).strip()
    if not uri:
        raise EmbedlabError(N_("Give the corpus as a path or URI Spark can read (a file, a folder, hdfs://, s3a://)."))
    if "://" not in uri and not Path(uri).exists():
        raise EmbedlabError(N_("There is no file or folder {uri!r} here; for HDFS or S3 storage give a URI such as "
                               "hdfs://namenode/path or s3a://bucket/path."), uri=uri)
    fingerprint = "uri:" + uri

    def frame(spark: Any) -> Any:
        from pyspark.sql import functions as F

        text = F.col("value")
        if lowercase:
            text = F.lower(text)
        lines = spark.read.text(uri)
        return lines.select(F.array_remove(F.split(text, WORD_SEPARATORS), "").alias("tokens"))

    return _train(params, frame, fingerprint, {"corpus_source": "uri", "corpus_uri": uri}, on_progress, cancel)


def _tokens_frame(spark: Any, master: str, path: Path) -> Any:
    """A DataFrame of token arrays from a workspace token file (space-joined tokens)."""
    from pyspark.sql import functions as F

    if master.startswith("local"):
        lines = spark.read.text(path.as_uri())
    else:  # a cluster cannot read this machine's disk: send the lines from here
        with open(path, encoding="utf-8") as handle:
            rows = [(line.rstrip("\n"),) for line in handle]
        lines = spark.createDataFrame(rows, "value string")
    return lines.select(F.array_remove(F.split(F.col("value"), " "), "").alias("tokens"))


def _train(params: SparkWord2VecParams, make_frame: Any, fingerprint: str, extra: dict[str, Any],
           on_progress: ProgressFn, cancel: CancelToken | None) -> TrainResult:
    params.validate()
    started = time.perf_counter()
    on_progress(0.0, 1.0, _("Starting Spark ({master})").format(master=params.master))
    spark = session(params.master)
    if cancel is not None and cancel.cancelled:
        raise Cancelled()
    from pyspark.ml.feature import Word2Vec
    from pyspark.sql import functions as F

    session_done = time.perf_counter()
    group = f"embedlab-{uuid.uuid4().hex[:8]}"
    sc = spark.sparkContext
    sc.setJobGroup(group, "embedlab Word2Vec", interruptOnCancel=True)
    label = "Spark Word2Vec"
    tokens = None
    try:
        with _Watcher(spark, group, label, 4 + 2 * params.epochs, on_progress, cancel) as watcher:
            try:
                tokens = make_frame(spark).cache()
                estimator = Word2Vec(vectorSize=params.vector_size, windowSize=params.window,
                                     minCount=params.min_count, maxIter=params.epochs, stepSize=params.alpha,
                                     numPartitions=params.partitions, maxSentenceLength=params.max_sentence_length,
                                     seed=params.seed, inputCol="tokens", outputCol="_vector")
                model = estimator.fit(tokens)
                trained = time.perf_counter()
                counts = dict(tokens.select(F.explode("tokens").alias("word")).groupBy("word").count()
                              .where(F.col("count") >= params.min_count).rdd.map(tuple).collect())
                raw_words = int(sum(counts.values()))
                rows = model.getVectors().collect()
            except Exception as error:  # noqa: BLE001 - a cancelled job surfaces as a Py4J error
                if watcher.cancelled or (cancel is not None and cancel.cancelled):
                    raise Cancelled() from None
                if isinstance(error, EmbedlabError):
                    raise
                raise EmbedlabError(N_("Spark could not train: {reason}"), reason=_first_line(error)) from error
            finally:
                if tokens is not None:
                    try:
                        tokens.unpersist()
                    except Exception:  # noqa: BLE001 - the session may be gone after a failure
                        pass
    finally:
        sc.setLocalProperty("spark.jobGroup.id", None)
    if not rows:
        raise VocabularyError(N_("No word appears at least {min_count} times in this corpus, so the vocabulary "
                                 "is empty. Lower the minimum count or use a larger corpus."),
                              min_count=params.min_count)
    # every trainer stores words by descending frequency (ties alphabetically, so runs are comparable)
    rows.sort(key=lambda r: (-counts.get(r.word, 0), r.word))
    words = [r.word for r in rows]
    matrix = np.array([r.vector.toArray() for r in rows], dtype=np.float32).reshape(len(rows), params.vector_size)
    vectors = WordVectors.from_matrix(words, matrix, np.array([counts.get(w, 0) for w in words], dtype=np.int64))
    finished = time.perf_counter()
    on_progress(1.0, 1.0, _("{label}: {n_words:,} words trained").format(label=label, n_words=len(words)))
    timings = {"spark_start_s": session_done - started, "train_s": trained - session_done,
               "collect_s": finished - trained, "total_s": finished - started}
    return TrainResult(vectors, ALGORITHM, params, fingerprint, timings, [], raw_words * params.epochs,
                       {"engine": "spark", "spark_master": params.master, **extra}, raw_words=raw_words * params.epochs)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:300] if text else type(error).__name__
