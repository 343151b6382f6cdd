"""Shared pieces of the pages beyond words (documents, graphs, recommendations, the index lab)."""

from __future__ import annotations

from embedlab.corpus import PreparedCorpus
from embedlab.documents import DOCUMENTS_FILE
from embedlab.graphs import GRAPH_FILE
from embedlab.i18n import _


def input_note(units: str, corpus: PreparedCorpus) -> str:
    """What an algorithm will read from the chosen corpus, said before training (plain text, no Markdown)."""
    if units == "documents":
        if corpus.attachment(DOCUMENTS_FILE) is not None:
            return _("Each document of this corpus gets a vector, tagged doc<line number>, coloured by its label on the map.")
        return _("Each line of this corpus is one document (tagged line<number>). For labelled documents, prepare "
                 "them on the Documents page.")
    if units == "nodes":
        if corpus.attachment(GRAPH_FILE) is not None:
            return _("Each node of this graph gets a vector; the walks follow its edges and weights.")
        return _("This corpus is text: the walks follow its word adjacency graph (words next to each other). "
                 "For a real graph, upload an edge list or pick a shipped graph on the Graphs page.")
    return _("Each word of the corpus gets a vector.")
