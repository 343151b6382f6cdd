"""The frame every page starts with: page config, sidebar (model picker, jobs), state.

Streamlit 1.67's ``pages/`` folder gives no shared layout, so each page calls
``page()`` first. The jobs panel polls (``st.fragment(run_every=1)``) only while a
job of this session is running, and reruns the whole app when one ends so every
list on the page sees the new model.
"""

from __future__ import annotations


import streamlit as st

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, _, format_number
from embedlab.samples import shown_corpus_name
from embedlab.textsafe import md
from embedlab.ui import classroom_view
from embedlab.ui import jobs as job_api
from embedlab.ui import language
from embedlab.ui.model_access import model_options
from embedlab.ui.state import AppState, get_state
from embedlab.ui.warm_up import start_warm_up
from embedlab.ui.widgets import state_select

RECENT_JOBS_SHOWN = 3
MODEL_PICKER_KEY = "sidebar_model"

#: the sidebar's menu, in the order a user walks it: (section, ((page file, label, icon), ...)).
#: Streamlit's own menu is off (``client.showSidebarNavigation``): it can only name the home page
#: after its file ("app") and has no sections.
#: Labels are English msgids, translated when drawn; pages pass the same English label to ``page()``.
NAVIGATION: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("", (("app.py", N_("Home"), "🧭"),)),
    (N_("Build"), (("pages/1_Corpus.py", N_("Corpus"), "📚"), ("pages/2_Train.py", N_("Train"), "🏋️"),
                   ("pages/3_Models.py", N_("Models"), "📦"))),
    (N_("Explore"), (("pages/4_Map.py", N_("Map"), "🗺️"), ("pages/5_Neighbours.py", N_("Neighbours"), "🔎"),
                     ("pages/6_Analogies.py", N_("Analogies"), "➗"))),
    (N_("Compare"), (("pages/7_Compare.py", N_("Compare"), "⚖️"), ("pages/8_Evaluate.py", N_("Evaluate"), "📏"))),
    (N_("Explain"), (("pages/9_Concordance.py", N_("Concordance"), "📜"),
                     ("pages/10_Axes.py", N_("Semantic axes"), "🧲"))),
    (N_("Learn"), (("pages/20_Lessons.py", N_("Lessons"), "🎓"), ("pages/21_Playback.py", N_("Playback"), "🎬"),
                   ("pages/22_Inside_the_network.py", N_("Inside the network"), "🧠"))),
    (N_("Beyond words"), (("pages/30_Documents.py", N_("Documents"), "📄"), ("pages/31_Graphs.py", N_("Graphs"), "🕸️"),
                          ("pages/32_Recommend.py", N_("Recommend"), "🛒"),
                          ("pages/33_Index_lab.py", N_("Index lab"), "🧪"))),
)
ICONS = {label: icon for _, links in NAVIGATION for _, label, icon in links}


def page(title: str, icon: str | None = None) -> AppState:
    """Set up a page and return the session state; call it first on every page.

    ``title`` is the page's English menu label (a msgid); it is shown in the session's
    language. The icon defaults to the page's icon in the sidebar menu, so the two always match.
    """
    language.resolve()  # before any text: every string below follows it
    icon = icon or ICONS.get(title, "🧭")
    title = _(title)
    st.set_page_config(page_title=f"{title} · embedlab", page_icon=icon, layout="wide")
    classroom_view.gate()  # classroom mode: the access code before anything else
    state = get_state()
    classroom_view.keep_id_in_url()
    start_warm_up()
    for job in job_api.acknowledge_finished(state):
        _toast(job)
    with st.sidebar:
        language.switch()
        _navigation()
        classroom_view.sidebar()
        _model_picker(state)
        _corpus_line(state)
        _jobs_panel(state)
    st.title(f"{icon} {title}")
    return state


def _navigation() -> None:
    for section, links in NAVIGATION:
        if section:
            st.caption(_(section))
        for path, label, icon in links:
            st.page_link(path, label=_(label), icon=icon)
    st.divider()


def _model_picker(state: AppState) -> None:
    options = model_options(state)
    if not options:
        st.caption(_("No models yet: train one or load vectors."))
        return

    def picked(model_id: str) -> None:
        state.active_model_id = model_id

    state_select(_("Active model"), options, lambda: state.active_model_id, picked, key=MODEL_PICKER_KEY,
                 help=_("Every page works on this model. New models become active when they finish."))


def _corpus_line(state: AppState) -> None:
    if state.active_corpus_id is None:
        return
    try:
        corpus = state.workspace.load_corpus(state.active_corpus_id)
        st.caption(_("Corpus for training: **{name}** · {tokens} tokens").format(
                   name=md(shown_corpus_name(corpus.name)), tokens=format_number(corpus.n_tokens)),
                   help=_("What Train and Compare train on; choose another on the Corpus page."))
    except EmbedlabError:
        pass


def _jobs_panel(state: AppState) -> None:
    session_jobs = job_api.session_jobs(state)
    if any(not job.active and not job.acknowledged for job in session_jobs):
        # it ended after this run's top applied finished jobs and before here, so no polling panel would be drawn
        # to notice: without a rerun its result (a loaded model made active) would wait for the next click
        st.rerun()
    if any(job.active for job in session_jobs):
        _polling_jobs_panel(state)
    else:
        _draw_jobs(state)


@st.fragment(run_every=1)
def _polling_jobs_panel(state: AppState) -> None:
    if not any(job.active for job in job_api.session_jobs(state)):
        st.rerun()  # a job ended: rerun the whole page so lists and pickers refresh
    _draw_jobs(state)


def _draw_jobs(state: AppState) -> None:
    jobs = job_api.session_jobs(state)
    active = [job for job in jobs if job.active]
    recent = [job for job in jobs if not job.active][-RECENT_JOBS_SHOWN:]
    stopped = job_api.interrupted(state)
    if not active and not recent and not stopped:
        return
    st.divider()
    for record in stopped:  # a server restart stopped them: say so, rather than let them vanish
        st.warning(_("**{title}** was interrupted by a server restart. Anything it had "
                     "saved before is kept; start it again to finish it.").format(title=md(record.title)), icon="⚠️")
    for job in active:
        st.progress(job.fraction, text=f"**{md(job.title)}** · {md(job_api.describe(job))}")
        st.button(_("Cancel"), key=f"cancel-{job.id}", on_click=job_api.stop, args=(job,),
                  help=_("Stops within one epoch; models already saved are kept."))
    for job in reversed(recent):
        if job.status == "done":
            st.caption(f"✅ {md(job.title)}")
        elif job.status == "cancelled":
            st.caption(_("⏹️ {title}: cancelled").format(title=md(job.title)))
        else:
            st.caption(f"❌ {md(job.title)}: {md(job.error)}")


def live_job_progress(state: AppState, kind: str, note: str | None = None,
                      cancel_key: str | None = None) -> job_api.Job | None:
    """The latest job of ``kind`` (or None); while it runs, a progress bar in the page body that updates itself."""
    job = job_api.latest_job(state, kind)
    if job is not None:
        job_progress(job, note, cancel_key)
    return job


def job_progress(job: job_api.Job, note: str | None = None, cancel_key: str | None = None) -> None:
    """While ``job`` runs, its progress bar (and optionally a Cancel button and a note) in the page body.

    The bar lives in a fragment polling once a second, so the page body follows the
    job without rerunning the whole page; when the job ends the fragment reruns the
    page once, so the caller draws the outcome (a map, a model) even while other jobs
    keep the sidebar busy. Every page's in-body progress is drawn by this one function.
    """
    if job.active:
        _live_progress(job.id, note, cancel_key)


@st.fragment(run_every=1)
def _live_progress(job_id: str, note: str | None, cancel_key: str | None) -> None:
    job = job_api.runner().get(job_id)
    if job is None:
        return
    if not job.active:
        st.rerun()  # ended: the whole page redraws with the outcome (and this fragment is not drawn again)
    st.progress(job.fraction, text=f"{md(job.title)} · {md(job_api.describe(job))}")
    if cancel_key is not None:
        st.button(_("Cancel"), key=cancel_key, on_click=job_api.stop, args=(job,),
                  help=_("Stops within one epoch; models already saved are kept."))
    if note:
        st.caption(note)


def _toast(job: job_api.Job) -> None:
    if job.status == "done":
        st.toast(_("{title}: done").format(title=md(job.title)), icon="✅")
    elif job.status == "failed":
        st.toast(_("{title} failed: {error}").format(title=md(job.title), error=md(job.error)), icon="❌")
