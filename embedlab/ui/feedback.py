"""Turning exceptions into messages: a user's mistake reads as advice, a bug as a bug."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

import streamlit as st

from embedlab.diskfull import as_disk_full, is_disk_full
from embedlab.errors import EmbedlabError
from embedlab.i18n import N_, _
from embedlab.textsafe import md

log = logging.getLogger("embedlab")

#: a msgid: shown with ``_(BUG_MESSAGE)`` (a job stores it translated into its session's language)
BUG_MESSAGE = N_("Something went wrong inside embedlab. This is a bug, not something you did; "
               "the details are in the server log. Your saved corpora and models are untouched.")


@contextmanager
def user_errors() -> Iterator[None]:
    """Show ``EmbedlabError`` messages as they are; log anything else and show a short apology.

    Streamlit's own control flow (``st.stop``, ``st.rerun``) derives from
    ``BaseException`` and passes through untouched.
    """
    try:
        yield
    except EmbedlabError as error:
        st.error(md(error), icon="⚠️")  # messages quote words and file names: plain text
    except Exception as error:
        if is_disk_full(error):  # the user's disk, not a bug in embedlab
            st.error(md(as_disk_full(error)), icon="💾")  # type: ignore[arg-type]
            return
        log.exception("unexpected error in a page")
        st.error(_(BUG_MESSAGE), icon="🐞")

