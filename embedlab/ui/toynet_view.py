"""Inside the network: a toy Word2Vec trained one example at a time, every weight on screen.

The network (``embedlab.toynet``) lives in this session's state, so Next / 20 / 100
continue where the last click stopped, across page switches. Settings sit in a form:
editing them changes nothing until "Start over" builds a new network.
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import streamlit as st

from embedlab import toynet
from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, _, format_number, ngettext, pgettext
from embedlab.textsafe import md
from embedlab.toynet import ToyConfig, ToyNetwork
from embedlab.viz import toynet as figures

NETWORK_KEY = "toynet_network"
ERROR_KEY = "toynet_error"
STEP_CHOICES = (1, 20, 100)
#: option labels: English msgids, translated where shown (``label()``)
ARCHITECTURE_LABELS = {"skipgram": N_("skip-gram"), "cbow": "CBOW"}
OBJECTIVE_LABELS = {"negative": N_("negative sampling"), "softmax": N_("full softmax")}
#: the starting toy corpus (``toynet.DEFAULT_CORPUS``) as a msgid: a Chinese session starts on the same
#: sentences in Chinese, its words separated by spaces as the toy network reads them
STARTING_CORPUS = N_("king rules castle\nqueen rules castle\nman eats apple\nwoman eats apple\nman drinks juice\n"
                     "woman drinks juice\nking drinks wine\nqueen drinks wine")
WEIGHT_TITLES = {"in": N_("Input vectors (input → hidden weights)"),
                 "out": N_("Output vectors (hidden → output weights)")}
#: ``text`` shown literally inside Markdown (a word is data: never a link, emphasis or emoji code)
plain = md


def architecture_label(architecture: str) -> str:
    return _(ARCHITECTURE_LABELS[architecture])


def objective_label(objective: str) -> str:
    return _(OBJECTIVE_LABELS[objective])


def network() -> ToyNetwork:
    """This session's toy network, built with the defaults on first use."""
    net = st.session_state.get(NETWORK_KEY)
    if not isinstance(net, ToyNetwork):
        net = ToyNetwork(toynet.parse_corpus(_(STARTING_CORPUS)), ToyConfig())
        st.session_state[NETWORK_KEY] = net
    return net


def render_settings(net: ToyNetwork) -> None:
    """The corpus and the settings; "Start over" replaces the network (bad input keeps the old one)."""
    c = net.config
    with st.form("toynet_settings"):
        text = st.text_area(_("Toy corpus (one sentence per line)"),
                            "\n".join(" ".join(s) for s in net.corpus.sentences), height=200, key="toynet_corpus",
                            help=_("A few short sentences; at most {n} different words so every row of the weight "
                                   "matrices stays readable. Words are split on spaces and kept as typed.").format(
                                       n=format_number(toynet.MAX_VOCABULARY)))
        architecture = st.selectbox(_("Architecture"), toynet.ARCHITECTURES,
                                    toynet.ARCHITECTURES.index(c.architecture), format_func=architecture_label,
                                    key="toynet_architecture",
                                    help=_("Skip-gram predicts a word from one neighbour at a time; CBOW from the mean "
                                           "of all its neighbours at once."))
        objective = st.selectbox(_("Output layer"), toynet.OBJECTIVES, toynet.OBJECTIVES.index(c.objective),
                                 format_func=objective_label, key="toynet_objective",
                                 help=_("Full softmax scores every word of the vocabulary at each step; negative "
                                        "sampling scores the right word and a few random ones only (what Word2Vec "
                                        "does on real corpora, where the vocabulary is large)."))
        left, right = st.columns(2)
        dim = left.number_input(_("Hidden neurons (dimensions)"), 2, 50, c.dim, key="toynet_dim",
                                help=_("The length of each word vector."))
        window = right.number_input(_("Window"), 1, 10, c.window, key="toynet_window",
                                    help=_("How many words on each side count as context."))
        negative = left.number_input(_("Negatives per example"), 1, 20, c.negative, key="toynet_negative",
                                     help=_("Random words pushed away at each step (negative sampling only)."))
        rate = right.number_input(_("Learning rate"), 0.001, toynet.MAX_LEARNING_RATE, c.learning_rate, step=0.05,
                                  format="%.3f", key="toynet_rate", help=_("How far each step moves the weights."))
        seed = left.number_input(_("Seed"), 0, 10_000, c.seed, key="toynet_seed",
                                 help=_("Decides the starting weights and the negatives drawn."))
        if st.form_submit_button(_("Start over with these settings"), type="primary"):
            try:
                config = ToyConfig(architecture=architecture, objective=objective, dim=int(dim), window=int(window),
                                   negative=int(negative), learning_rate=float(rate), seed=int(seed))
                st.session_state[NETWORK_KEY] = ToyNetwork(toynet.parse_corpus(text), config)
            except EmbedlabError as error:
                st.error(_("{error} The network on the right is unchanged.").format(error=md(error)), icon="⚠️")
            else:
                st.rerun()


def _step(net: ToyNetwork, n: int) -> None:
    """A button's callback: train ``n`` steps; a diverging run's message waits for the page to show it."""
    try:
        net.step(n)
    except EmbedlabError as error:
        st.session_state[ERROR_KEY] = str(error)


def render_stepper(net: ToyNetwork) -> None:
    """Next / 20 / 100 steps, and the step just taken."""
    columns = st.columns(len(STEP_CHOICES) + 1)
    for column, n in zip(columns, STEP_CHOICES):
        column.button(_("Next step") if n == 1 else ngettext("{n} step", "{n} steps", n).format(n=format_number(n)),
                      key=f"toynet_step_{n}", on_click=_step, args=(net, n),
                      type="primary" if n == 1 else "secondary", use_container_width=True)
    columns[-1].button(_("Back to the start"), key="toynet_reset", use_container_width=True,
                       on_click=lambda: st.session_state.__setitem__(NETWORK_KEY, ToyNetwork(net.corpus, net.config)))
    if ERROR_KEY in st.session_state:
        st.error(md(st.session_state.pop(ERROR_KEY)), icon="⚠️")
    c = net.config
    st.caption(_("{architecture} · {objective} · {dim} dimensions · window {window} · learning rate {rate} · "
                 "{words} words, {examples} examples per pass · step {step} (pass {passes})").format(
                   architecture=architecture_label(c.architecture), objective=objective_label(c.objective),
                   dim=format_number(c.dim), window=format_number(c.window), rate=f"{c.learning_rate:g}",
                   words=format_number(len(net.words)), examples=format_number(len(net.examples)),
                   step=format_number(net.steps_done), passes=format_number(net.epoch, 1)))
    record = net.last
    if record is None:
        st.info(_("Nothing trained yet. The first example is **{example}**: the input word's vector goes in, the "
                  "network should predict the output word.").format(example=plain(net.describe(net.next_example()))),
                icon="👆")
        return
    words = net.words
    values = {"step": format_number(record.step + 1),
              "input": plain(" + ".join(words[i] for i in record.example.inputs)),
              "output": plain(words[record.example.output]),
              "negatives": pgettext("list separator", ", ").join(plain(words[i]) for i in record.negatives)
              or pgettext("no negatives", "none"),
              "loss": format_number(record.loss, 3), "corpus_loss": format_number(record.corpus_loss, 3),
              "next": plain(net.describe(net.next_example()))}
    if c.objective == "negative":
        st.markdown(_("**Step {step}** trained input **{input}** → output **{output}**; negatives: {negatives} · "
                      "loss before the step {loss}, corpus loss after {corpus_loss}. Next: {next}.").format(**values))
    else:
        st.markdown(_("**Step {step}** trained input **{input}** → output **{output}** · loss before the step "
                      "{loss}, corpus loss after {corpus_loss}. Next: {next}.").format(**values))


def render_network(net: ToyNetwork) -> None:
    """Both weight matrices, the vectors in 2-D, the prediction, the loss and the neighbours."""
    record = net.last
    example = record.example if record else net.next_example()
    roles = {"inputs": example.inputs, "output": example.output, "negatives": record.negatives if record else ()}
    left, right = st.columns(2)
    with left:
        st.plotly_chart(figures.weights_heatmap(net.w_in, net.words, _(WEIGHT_TITLES["in"]), **roles),
                        key="toynet_w_in")
    with right:
        st.plotly_chart(figures.weights_heatmap(net.w_out, net.words, _(WEIGHT_TITLES["out"]), **roles),
                        key="toynet_w_out")
    st.caption(_("Outlined rows are the current step's words: orange the input, green the word to predict, grey the "
                 "negative samples. A step changes only these rows (with full softmax, every output row)."))
    left, right = st.columns(2)
    with left:
        show_outputs = st.toggle(_("Show output vectors too"), key="toynet_show_outputs",
                                 help=_("wevi shows both: a word's input vector moves toward the output vectors of "
                                        "the words it appears with."))
        stacked = net.w_in if not show_outputs else np.vstack([net.w_in, net.w_out])
        coords, explained = toynet.pca_2d(stacked)
        n = len(net.words)
        st.plotly_chart(figures.vectors_figure(coords[:n], coords[n:] if show_outputs else None, net.words, explained,
                                               **roles), key="toynet_pca")
    with right:
        st.plotly_chart(figures.prediction_figure(net.words, net.output_probabilities(example), example.output,
                                                  example.inputs), key="toynet_prediction")
        st.caption(_("The softmax of the output layer for this step's input, after the step. Negative sampling "
                     "never computes it while training, yet the true word's bar still grows."))
    left, right = st.columns(2)
    with left:
        if net.history:
            st.plotly_chart(figures.loss_figure([r.loss for r in net.history], [r.corpus_loss for r in net.history]),
                            key="toynet_loss")
            st.caption(_("Grey dots: the loss of the single example each step trained (noisy by nature). Blue "
                         "line: the full-softmax loss over every example of the corpus, the quantity both "
                         "objectives end up lowering."))
        else:
            st.caption(_("The loss appears after the first step."))
    with right:
        render_neighbours(net)


def render_neighbours(net: ToyNetwork) -> None:
    """Each word's three nearest words by cosine of the input vectors, as they are now."""
    rows = []
    for i, word in enumerate(net.words):
        found = net.neighbours(i, 3)
        rows.append({_("word"): word,
                     **{f"#{j + 1}": f"{w} ({format_number(s, 2)})" for j, (w, s) in enumerate(found)}})
    st.markdown(_("**Nearest neighbours now** (cosine of input vectors)"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="toynet_neighbours", height=min(38 + 35 * len(rows), 520))
