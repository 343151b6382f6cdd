"""User-supplied strings stay text: through the escaping helpers, every figure builder and every page.

Hostile words, item titles, categories, corpus and model names are pushed through
each place that shows them. Markdown is checked the way a browser would see it:
rendered with a GitHub-flavoured Markdown parser (markdown-it-py with linkify, raw
HTML allowed so that any HTML that got through is visible), then the rendered text
must hold the hostile string verbatim and the HTML must hold no link and no image.
Figures are checked field by field: every string plotly draws as HTML must carry
the escaped text.
"""

from __future__ import annotations

import html as html_lib
import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from markdown_it import MarkdownIt

from embedlab.textsafe import WORD_JOINER, html, md

#: words that are Markdown or HTML if rendered as such; no spaces inside, so they are item IDs too
HOSTILE_WORDS = (
    "[phish](https://evil.example/)",
    "![evilimg](https://evil.example/x.png)",
    "<b>BOLDB</b>",
    '<a/href="https://evil.example/">clickme</a>',
    "**STRONGW**",
)
HOSTILE_NAME = "[click](javascript:alert(4)) **NAME**"
HOSTILE_TITLE = '<a href="https://evil.example/">clicktitle</a> ![t](https://evil.example/t.png)'
HOSTILE_CATEGORY = "<i>ITALCAT</i> [cat](https://evil.example/)"
HOSTILE = HOSTILE_WORDS + (HOSTILE_NAME, HOSTILE_TITLE, HOSTILE_CATEGORY)
#: one marker per hostile string: where a marker shows, the whole string must show, as typed
MARKERS = {"phish": HOSTILE_WORDS[0], "evilimg": HOSTILE_WORDS[1], "BOLDB": HOSTILE_WORDS[2],
           "clickme": HOSTILE_WORDS[3], "STRONGW": HOSTILE_WORDS[4], "NAME": HOSTILE_NAME,
           "clicktitle": HOSTILE_TITLE, "ITALCAT": HOSTILE_CATEGORY}

_RENDERER = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable(["table", "strikethrough", "linkify"])
_TAG = re.compile(r"<[^>]+>")


def rendered(markdown: str) -> tuple[str, str]:
    """(HTML, visible text) of a Markdown string, as GitHub-flavoured Markdown renders it."""
    out = _RENDERER.render(markdown)
    return out, html_lib.unescape(_TAG.sub("", out)).replace(WORD_JOINER, "")


def markdown_problems(markdown: str) -> list[str]:
    """What is wrong with one Markdown string the app shows (empty: it is safe)."""
    out, text = rendered(markdown)
    problems = []
    if re.search(r"<a\s[^>]*(evil|javascript)", out) or "<img" in out:  # the app's own links are fine
        problems.append(f"a link or an image: {out!r}")
    for marker, whole in MARKERS.items():
        if marker in markdown.replace("\\", "") and whole not in text:
            problems.append(f"{whole!r} is not shown as typed: {text!r} from {markdown!r}")
    if re.search(r"</?(b|i)>|<a/", out):
        problems.append(f"raw HTML got through: {out!r}")
    return problems


# -- the helpers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE + ("a_b_c *x* `code` #1 ~~s~~ $x^2$ :red[r] :material/home: |a|b|",
                                             "mail user@evil.example or www.evil.com, https://evil.example/",
                                             "line one\n\n# heading\n- item", "& &amp; &lt;b&gt; \\*"))
def test_md_renders_as_the_text_itself(text: str) -> None:
    out, shown = rendered(md(text))
    assert shown.strip() == text.replace("\n", " ").strip()
    assert "<a" not in out and "<img" not in out and "<strong>" not in out and "<em>" not in out
    assert "<h1>" not in out and "<li>" not in out and "<code>" not in out and "<del>" not in out


def test_md_keeps_plain_text_readable() -> None:
    assert md("café 国王 Straße") == "café 国王 Straße"
    assert markdown_problems(f"Corpus: **{md(HOSTILE_NAME)}**") == []
    assert markdown_problems(f"Corpus: **{HOSTILE_NAME}**")  # the check itself catches the unescaped name


def test_html_escapes_plotly_markup() -> None:
    assert html("<b>B</b> & <br>") == "&lt;b&gt;B&lt;/b&gt; &amp; &lt;br&gt;"
    assert html("plain 国王") == "plain 国王"


# -- every figure builder ------------------------------------------------------------------------

#: plotly layout/trace keys that are data for the app, not drawn text (customdata is read back from
#: selections; it is drawn only if a template interpolates it, which ``figure_problems`` checks)
_NOT_DRAWN = {"customdata", "ids", "legendgroup", "uirevision", "hovertemplate", "texttemplate", "type",
              "mode", "textposition", "orientation", "xref", "yref", "axref", "ayref", "symbol", "color", "shape",
              "dragmode", "barmode", "tickformat", "scaleanchor", "matches", "xaxis", "yaxis", "autorange",
              "rangemode", "aspectmode", "hoverinfo", "anchor", "domain", "bgcolor"}


def _strings(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in _NOT_DRAWN and k != "template":
                yield from _strings(v, k)
    elif isinstance(value, (list, tuple, np.ndarray)):
        for v in list(value):
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def figure_problems(figure: dict) -> list[str]:
    """Drawn strings holding raw user markup, and templates that interpolate raw customdata."""
    problems = []
    for key, text in _strings({"data": figure.get("data", []), "layout": figure.get("layout", {})}):
        for hostile in HOSTILE:
            if ("<" in hostile or "&" in hostile) and hostile in text:
                problems.append(f"{key}: raw {hostile!r} in {text!r}")
    for trace in figure.get("data", []):
        template = " ".join(str(trace.get(k) or "") for k in ("hovertemplate", "texttemplate"))
        custom = [c for c in np.asarray(trace.get("customdata", []), dtype=object).ravel().tolist() if isinstance(c, str)]
        if "%{customdata" in template and any("<" in c or ">" in c for c in custom):
            problems.append(f"template {template!r} draws raw customdata {custom[:3]}")
    return problems


def _builders() -> dict[str, Any]:
    import embedlab.viz

    found = {}
    for info in pkgutil.iter_modules(embedlab.viz.__path__):
        module = importlib.import_module(f"embedlab.viz.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_") and \
                    inspect.signature(fn).return_annotation in (go.Figure, "go.Figure"):
                found[f"{info.name}.{name}"] = fn
    return found


def _hostile_vectors(extra: int = 20):
    from embedlab.vectors import WordVectors

    words = list(HOSTILE_WORDS) + [f"w{i}" for i in range(extra)]
    rng = np.random.default_rng(0)
    return WordVectors.from_matrix(words, rng.normal(size=(len(words), 8)), counts=np.arange(len(words), 0, -1) * 10)


def _hostile_graph():
    from embedlab import graphs

    return graphs.from_edges(HOSTILE_TITLE, list(HOSTILE_WORDS), list(HOSTILE_WORDS[1:]) + [HOSTILE_WORDS[0]])


def _figure_cases() -> dict[str, Any]:
    from embedlab import analogy
    from embedlab.search import NeighbourIndex
    from embedlab.viz import analogy as va, compare as vc, corpus as vcorp, map as vm, neighbours as vn, training as vt
    from embedlab.viz import lessons as vles, playback as vplay, toynet as vtoy
    from embedlab.viz import axes as vax, faithfulness as vf
    from embedlab.viz import beyond as vbey
    from embedlab.viz import density_map as vd

    hostile_graph = _hostile_graph()

    vectors = _hostile_vectors()
    words = list(vectors.words)
    n = len(words)
    coords = np.random.default_rng(1).normal(size=(n, 2))
    matrix = np.random.default_rng(3).normal(size=(n, 4))
    few = _hostile_vectors(extra=2)  # the answers are hostile words too
    result = analogy.solve(few, [HOSTILE_WORDS[0], HOSTILE_WORDS[1]], [HOSTILE_WORDS[2]], "3cosadd", 5, False)
    neighbours = NeighbourIndex(vectors, approximate=False).query(HOSTILE_WORDS[3], 6)
    table = pd.DataFrame({"model": [HOSTILE_NAME, "m2"], HOSTILE_TITLE: [0.5, 0.4], f"{HOSTILE_TITLE} coverage": [0.9, 1.0]})
    sections = pd.DataFrame({"model": [HOSTILE_NAME, "m2"], "section": [HOSTILE_CATEGORY] * 2, "accuracy": [0.5, 0.2],
                             "answered": [3, 2], "questions": [4, 4]})
    return {
        "analogy.answer_bars": lambda: va.answer_bars(result),
        "analogy.parallelogram_figure": lambda: va.parallelogram_figure(analogy.parallelogram(few, result), HOSTILE_TITLE),
        "compare.aligned_map": lambda: [
            vc.aligned_map(np.vstack([coords, coords]), np.repeat([0, 1], n), words * 2, [HOSTILE_NAME, HOSTILE_TITLE],
                           selected=list(HOSTILE_WORDS), layout=layout, title=HOSTILE_TITLE) for layout in ("layers", "panels")],
        "compare.agreement_histogram": lambda: vc.agreement_histogram([0.1, 0.5], 10, [HOSTILE_NAME, HOSTILE_TITLE]),
        "compare.benchmark_bars": lambda: vc.benchmark_bars(table, [HOSTILE_TITLE], title=HOSTILE_TITLE),
        "compare.section_bars": lambda: vc.section_bars(sections, title=HOSTILE_TITLE),
        "corpus.zipf_figure": lambda: vcorp.zipf_figure([1, 2, 3], [30, 20, 10], title=HOSTILE_TITLE),
        "corpus.top_words_figure": lambda: vcorp.top_words_figure([(w, 10) for w in HOSTILE_WORDS]),
        "map.word_map": lambda: [
            vm.word_map(c, words, np.arange(n), vectors.counts, groups=[HOSTILE_CATEGORY] * n, group_title=HOSTILE_TITLE,
                        highlight=np.arange(5), selected=list(HOSTILE_WORDS), label_top_n=n, title=HOSTILE_TITLE,
                        notes=[HOSTILE_TITLE] * n)
            for c in (coords, np.random.default_rng(2).normal(size=(n, 3)))],
        "neighbours.neighbour_bars": lambda: vn.neighbour_bars(HOSTILE_WORDS[4], neighbours, note=HOSTILE_NAME,
                                                               labels=[HOSTILE_TITLE] * len(neighbours)),
        "training.loss_figure": lambda: vt.loss_figure([3.0, 2.0], title=HOSTILE_TITLE),
        "toynet.weights_heatmap": lambda: vtoy.weights_heatmap(matrix, words, HOSTILE_TITLE, [0], 1, [2]),
        "toynet.vectors_figure": lambda: vtoy.vectors_figure(coords, coords, words, (0.5, 0.2), [0], 1, [2]),
        "toynet.loss_figure": lambda: vtoy.loss_figure([1.0, 0.5], [1.0, 0.6]),
        "axes.axes_map": lambda: vax.axes_map(coords, words, HOSTILE_TITLE, HOSTILE_NAME, highlight=words[:2]),
        "faithfulness.recolour": lambda: vf.recolour(vm.word_map(
            coords, words, np.arange(n), groups=vf.recall_bands(np.linspace(0, 1, n)), group_title=vf.LEGEND_TITLE,
            group_order=vf.band_order(), notes=[HOSTILE_TITLE] * n)),
        "toynet.prediction_figure": lambda: vtoy.prediction_figure(words, np.full(n, 1 / n), 1, [0]),
        "lessons.grouped_bars": lambda: vles.grouped_bars(list(HOSTILE_WORDS[:2]), {HOSTILE_NAME: [0.5, 0.2],
                                                                                  HOSTILE_TITLE: [0.1, None]},
                                                          "accuracy", "share", percent=True),
        "lessons.sweep_lines": lambda: vles.sweep_lines([1, 2], {HOSTILE_NAME: [0.5, 0.2]}, "time", "size", "s"),
        "lessons.count_heatmap": lambda: vles.count_heatmap(words[:5], np.arange(25.0).reshape(5, 5), "counts"),
        "playback.epoch_animation": lambda: vplay.epoch_animation(
            np.stack([coords, coords * 2]), words, [0, 1], (0.4, 0.2), labelled=5, followed=HOSTILE_WORDS[0],
            neighbours=[list(HOSTILE_WORDS[1:3]), list(HOSTILE_WORDS[3:5])]),
        "beyond.graph_figure": lambda: vbey.graph_figure(
            hostile_graph, np.random.default_rng(3).normal(size=(hostile_graph.n_nodes, 2)),
            {v: HOSTILE_CATEGORY for v in hostile_graph.nodes}, HOSTILE_TITLE, highlight=hostile_graph.nodes[:2],
            focus=hostile_graph.nodes[2]),
        "beyond.recommendation_bars": lambda: vbey.recommendation_bars(
            [{"ranker": HOSTILE_NAME, "HitRate@5": 0.2, "HitRate@10": 0.3}, {"ranker": "most popular",
                                                                            "HitRate@5": 0.1, "HitRate@10": 0.2}]),
        "beyond.index_tradeoff": lambda: vbey.index_tradeoff(
            [{"index": "HNSW", "setting": "HNSW32, efSearch 8", "code bytes": None, "recall@10": 0.9,
              "latency ms": 0.1, "memory MB": 1.0, "build s": 0.2}], 10),
        "density_map.density_map": lambda: vd.density_map("data:image/png;base64,iVBORw0KGgo=", (-3.0, 3.0), (-3.0, 3.0),
                                                          coords, words, coords[:5], words[:5], title=HOSTILE_TITLE,
                                                          subtitle=HOSTILE_NAME),
    }


#: builders that take no user string at all (numbers in, numbers drawn)
NO_USER_TEXT = {"toynet.loss_figure", "beyond.index_tradeoff"}


def test_every_figure_builder_is_checked() -> None:
    assert set(_builders()) == set(_figure_cases()), "a new figure builder needs a hostile case here"


@pytest.mark.parametrize("name", sorted(_figure_cases()))
def test_figures_draw_user_strings_as_text(name: str) -> None:
    made = _figure_cases()[name]()
    for fig in made if isinstance(made, list) else [made]:
        figure = json.loads(fig.to_json())
        assert figure_problems(figure) == []
        drawn = " ".join(text for _, text in _strings(figure))
        hostile_here = [h for h in HOSTILE if html(h) in drawn]
        assert hostile_here or name in NO_USER_TEXT, f"{name} drew no user string"


def test_figure_check_catches_raw_markup() -> None:
    raw = go.Figure(go.Bar(x=[1], y=[HOSTILE_WORDS[2]], customdata=[HOSTILE_WORDS[3]],
                           hovertemplate="%{customdata}<extra></extra>"))
    assert len(figure_problems(json.loads(raw.to_json()))) == 2


# -- every page ----------------------------------------------------------------------------------

#: every page, found on disk: a new page is checked without anyone remembering to add it here
PAGES = ("app.py",) + tuple(sorted(f"pages/{p.name}" for p in (Path(__file__).resolve().parent.parent / "pages").glob("*.py")))
#: proto fields Streamlit renders as Markdown (selectbox/multiselect options and tables are plain text)
_MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption", "captions", "placeholder"}


def _proto_strings(message: Any, radio: bool = False) -> Iterator[str]:
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_MESSAGE:
            for item in [value] if hasattr(value, "ListFields") else value:
                yield from _proto_strings(item, radio or descriptor.name == "radio")
        elif descriptor.type == descriptor.TYPE_STRING and (
                descriptor.name in _MARKDOWN_FIELDS or (radio and descriptor.name == "options")):
            yield from ([value] if isinstance(value, str) else value)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def page_problems(at: Any) -> tuple[list[str], list[str]]:
    """(problems, every markdown string) of a page run."""
    problems, texts = [], []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        if node.type == "plotly_chart":
            problems += figure_problems(json.loads(proto.spec))
            continue
        if node.type in ("code", "arrow_data_frame", "json", "dataframe", "selectbox", "multiselect", "text_input"):
            continue  # shown as plain text
        for text in _proto_strings(proto):
            texts.append(text)
            problems += markdown_problems(text)
    return problems, texts


@pytest.fixture
def hostile_workspace(workspace, tmp_path):
    """A corpus of hostile item IDs under a hostile name, two models of it (hostile names), a comparison."""
    from embedlab.config import CorpusParams, Word2VecParams
    from embedlab.workflows import train_and_save

    rng = np.random.default_rng(0)
    vocabulary = list(HOSTILE_WORDS) + [f"P{i}" for i in range(25)]
    lines = [" ".join(rng.choice(vocabulary, size=8)) for _ in range(400)]
    source = tmp_path / "hostile.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = workspace.add_corpus(source, HOSTILE_NAME, CorpusParams(tokenizer="ids"))
    params = Word2VecParams(vector_size=16, epochs=1, min_count=1, seed=1)
    first = train_and_save(workspace, "word2vec", params, corpus, HOSTILE_NAME)
    second = train_and_save(workspace, "word2vec", Word2VecParams(vector_size=16, epochs=1, min_count=1, seed=2),
                            corpus, HOSTILE_TITLE)
    workspace.save_comparison([first, second], HOSTILE_CATEGORY)
    return workspace, corpus.corpus_id, first


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_user_strings_as_text(hostile_workspace, path: str) -> None:
    from streamlit.testing.v1 import AppTest

    from embedlab.ui import jobs
    from embedlab.ui.state import STATE_KEY, AppState
    from embedlab.workspace import default_root

    workspace, corpus_id, model_id = hostile_workspace
    state = AppState(workspace_root=str(default_root().resolve()), active_model_id=model_id, active_corpus_id=corpus_id)
    # every place a word or name can show: queries (known and unknown words), an analogy, a map search,
    # an uploaded category table with titles, and finished and failed jobs named after the corpus
    state.widget_values.update(neighbours_query=f"{HOSTILE_WORDS[0]} {HOSTILE_WORDS[2]} {HOSTILE_WORDS[4]}x",
                        analogy_expression=f"{HOSTILE_WORDS[2]} - {HOSTILE_WORDS[4]} + P1",  # no colon: that is the a : b :: c form
                        analogy_exclude=False, map_search=HOSTILE_WORDS[3], compare_word=HOSTILE_WORDS[2],
                        map_selected=[HOSTILE_WORDS[0], HOSTILE_WORDS[1]])
    table = pd.DataFrame({"id": list(HOSTILE_WORDS), "category": [HOSTILE_CATEGORY] * 5, "title": [HOSTILE_TITLE] * 5})
    workspace.save_category_table(model_id, table.to_csv(index=False).encode(), HOSTILE_NAME, "category")
    done = jobs.submit(state, f"Training on {HOSTILE_NAME}", lambda progress, cancel: model_id, kind="train")
    failed = jobs.submit(state, f"Loading {HOSTILE_TITLE}",
                         lambda progress, cancel: (_ for _ in ()).throw(_user_error()), kind="import")
    done.wait(30)
    failed.future.exception(30)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    if path != "app.py":
        at.switch_page(path)
    at.session_state[STATE_KEY] = state
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    problems, texts = page_problems(at)
    assert problems == []
    shown = " ".join(texts).replace("\\", "")
    assert "NAME" in shown  # the job named after the corpus is listed in every page's sidebar
    expected = {"pages/4_Map.py": "clickme", "pages/5_Neighbours.py": "STRONGW", "pages/6_Analogies.py": "BOLDB",
                "pages/7_Compare.py": "ITALCAT"}.get(path)
    assert expected is None or expected in shown, f"no hostile word reached {path}"


def _user_error():
    from embedlab.errors import EmbedlabError

    return EmbedlabError(f"{HOSTILE_TITLE} has no vectors in it.")
