"""Graphs for node embeddings: an edge list (uploaded or shipped with networkx) as compressed adjacency arrays.

DeepWalk and Node2Vec need only "who are the neighbours of node v, with what
weights, and is x a neighbour of t": a CSR layout answers all three from flat
arrays that a compiled walker reads without Python objects (``embedlab.walks``).
Each row's neighbours are sorted, so "is x a neighbour of t" is a binary search.
An undirected edge is stored in both directions; repeated edges add their weights.

Edge lists are read as text only (CSV, TSV, or white space separated; ``#`` and
``%`` lines are comments, as in SNAP and KONECT files); nothing is evaluated.
networkx is imported only for the shipped graphs and for community detection.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from embedlab.errors import EmbedlabError
from embedlab.i18n import N_

#: the largest edge list we read (lines); DeepWalk on more is beyond what a 2-core server should do interactively
MAX_EDGES = 5_000_000
#: an uploaded edge list bigger than this is refused before it is read
MAX_BYTES = 300 * 1024 * 1024
#: what a graph corpus keeps beside its tokens (``PreparedCorpus.attachment``): edges, facts, node table
GRAPH_FILE = "graph.tsv"
GRAPH_FACTS = "graph.json"
NODES_FILE = "nodes.csv"
#: graphs up to this many nodes are drawn on the page (a force layout of more is an unreadable hairball)
DRAW_MAX_NODES = 300


class GraphError(EmbedlabError):
    """An edge list that cannot be read as a graph."""


@dataclass(frozen=True, eq=False)
class Graph:
    """Nodes and their out-neighbours in CSR form (an undirected edge appears in both rows).

    ``indices[indptr[v]:indptr[v + 1]]`` are v's neighbours, sorted; ``weights`` the matching edge weights.
    ``attributes`` maps an attribute name (e.g. karate's ``club``) to a value per node.
    """

    name: str
    nodes: tuple[str, ...]
    indptr: np.ndarray  # (n + 1,) int64
    indices: np.ndarray  # (m,) int32, sorted within each row
    weights: np.ndarray  # (m,) float64, all > 0
    directed: bool
    weighted: bool
    attributes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    index: dict[str, int] = field(repr=False, default_factory=dict)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        """Edges as the user counts them (an undirected edge once, a self-loop once)."""
        if self.directed:
            return int(self.indices.size)
        loops = int(sum(1 for v in range(self.n_nodes) if self.has_edge(v, v)))
        return (int(self.indices.size) - loops) // 2 + loops

    def degree(self) -> np.ndarray:
        """Out-degree of every node (the degree, for an undirected graph)."""
        return np.diff(self.indptr)

    def neighbours(self, v: int) -> np.ndarray:
        return self.indices[self.indptr[v]:self.indptr[v + 1]]

    def edge_weights(self, v: int) -> np.ndarray:
        return self.weights[self.indptr[v]:self.indptr[v + 1]]

    def has_edge(self, t: int, x: int) -> bool:
        row = self.neighbours(t)
        i = int(np.searchsorted(row, x))
        return i < row.size and int(row[i]) == x

    def fingerprint(self) -> str:
        """A content hash: the same graph (nodes, edges, weights, direction) gives the same string."""
        digest = hashlib.blake2b(digest_size=10)
        digest.update("\n".join(self.nodes).encode("utf-8"))
        for array in (self.indptr, self.indices, self.weights):
            digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(b"directed" if self.directed else b"undirected")
        return digest.hexdigest()

    def edges(self) -> list[tuple[str, str, float]]:
        """Every edge once (an undirected one with source <= target by node order): for drawing and saving."""
        out = []
        for v in range(self.n_nodes):
            for x, w in zip(self.neighbours(v).tolist(), self.edge_weights(v).tolist()):
                if self.directed or v <= x:
                    out.append((self.nodes[v], self.nodes[x], float(w)))
        return out


def from_edges(name: str, sources: Sequence[str], targets: Sequence[str], weights: Sequence[float] | None = None,
               directed: bool = False, attributes: Mapping[str, Mapping[str, str]] | None = None,
               nodes: Sequence[str] | None = None) -> Graph:
    """Build a ``Graph`` from parallel lists of endpoints (and weights; default 1).

    Node order is ``nodes`` when given (isolated nodes included), else first appearance.
    """
    if len(sources) != len(targets):
        raise GraphError(N_("Every edge needs a source and a target."))
    if not len(sources):
        raise GraphError(N_("The edge list has no edges. Each line needs two node names: source and target."))
    # node names become tokens (walks are sentences, exports are word lists): white space inside is '_'
    sources = [_node_name(s) for s in sources]
    targets = [_node_name(t) for t in targets]
    order: dict[str, int] = {}
    for node in (_node_name(str(v)) for v in (nodes or ())):
        order.setdefault(str(node), len(order))
    for s, t in zip(sources, targets):  # first appearance, line by line
        order.setdefault(s, len(order))
        order.setdefault(t, len(order))
    src = np.fromiter((order[s] for s in sources), dtype=np.int64, count=len(sources))
    dst = np.fromiter((order[t] for t in targets), dtype=np.int64, count=len(targets))
    w = np.ones(len(src)) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != src.shape:
        raise GraphError(N_("There must be one weight per edge."))
    if not np.isfinite(w).all() or (w <= 0).any():
        bad = int(np.flatnonzero(~np.isfinite(w) | (w <= 0))[0])
        raise GraphError(N_("Edge weights must be positive numbers; edge {edge} ({source} → {target}) "
                            "has weight {weight}."),
                         edge=bad + 1, source=sources[bad], target=targets[bad], weight=w[bad])
    if not directed:  # both directions; a self-loop only once
        loop = src == dst
        src, dst, w = (np.concatenate([src, dst[~loop]]), np.concatenate([dst, src[~loop]]),
                       np.concatenate([w, w[~loop]]))
    n = len(order)
    # merge repeated edges (summing weights), then sort by (row, column)
    key = src * n + dst
    unique, inverse = np.unique(key, return_inverse=True)
    merged = np.bincount(inverse, weights=w, minlength=unique.size)
    rows, cols = unique // n, unique % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    names = tuple(order)
    return Graph(name, names, indptr, cols.astype(np.int32), merged.astype(np.float64), directed,
                 weights is not None and not np.all(w == 1.0),
                 {k: {_node_name(n): x for n, x in v.items()} for k, v in (attributes or {}).items()}, {s: i for i, s in enumerate(names)})


def _node_name(name: str) -> str:
    return "_".join(str(name).split())


def _split_line(line: str, sep: str | None) -> list[str]:
    if sep is None:
        return line.split()
    return [cell.strip() for cell in next(csv.reader([line], delimiter=sep))]


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def parse_edge_list(text: str, name: str = "graph", directed: bool = False) -> Graph:
    """An edge list as text: ``source target [weight]`` per line, comma/tab/semicolon/space separated.

    A first line whose third cell is not a number (``source,target,weight``) or whose cells are
    ``source``/``target``-like is a header and skipped. Lines starting with ``#`` or ``%`` are comments.
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "%"))]
    if not lines:
        raise GraphError(N_("The edge list is empty. Each line needs two node names: source and target, "
                            "optionally a weight (e.g. 'alice,bob,2')."))
    if len(lines) > MAX_EDGES + 1:
        raise GraphError(N_("The edge list has {n_lines:,} lines; embedlab reads at most {max_edges:,} edges."),
                         n_lines=len(lines), max_edges=MAX_EDGES)
    first = lines[0]
    sep = next((s for s in ("\t", ",", ";") if s in first), None)
    head = _split_line(first, sep)
    header_words = {"source", "target", "from", "to", "src", "dst", "u", "v", "node1", "node2", "weight"}
    if {c.lower() for c in head} & header_words or (len(head) >= 3 and not _is_number(head[2])):
        lines = lines[1:]
    sources: list[str] = []
    targets: list[str] = []
    weights: list[float] = []
    has_weight: bool | None = None
    for number, line in enumerate(lines, start=1):
        cells = _split_line(line, sep)
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise GraphError(N_("Line {number} of the edge list has no source and target: {line!r}. "
                                "Each line needs two node names (and optionally a weight)."),
                             number=number, line=line[:80])
        if has_weight is None:
            has_weight = len(cells) >= 3 and cells[2] != ""
        sources.append(cells[0])
        targets.append(cells[1])
        if has_weight:
            if len(cells) < 3 or not _is_number(cells[2]):
                raise GraphError(N_("Line {number} of the edge list has no numeric weight in its third column: "
                                    "{line!r}. Give every edge a weight, or none."), number=number, line=line[:80])
            weights.append(float(cells[2]))
    return from_edges(name, sources, targets, weights if has_weight else None, directed)


def read_edge_list(data: bytes, name: str = "graph", directed: bool = False) -> Graph:
    """Decode an uploaded edge list (encoding detected like a corpus) and parse it."""
    if len(data) > MAX_BYTES:
        raise GraphError(N_("The edge list is larger than {max_mb} MB."), max_mb=MAX_BYTES // 1024**2)
    from embedlab.corpus import detect_encoding  # the corpus reader's encoding and binary-file checks

    try:
        encoding = detect_encoding(data[:256 * 1024])
    except EmbedlabError as error:
        raise GraphError(N_("The edge list is not a text file: {error}"), error=error) from None
    return parse_edge_list(data.decode(encoding, errors="replace"), name, directed)


def read_edge_file(path: Path | str, directed: bool = False, name: str | None = None) -> Graph:
    path = Path(path)
    if not path.is_file():
        raise GraphError(N_("There is no edge list file at {path}."), path=path)
    return read_edge_list(path.read_bytes(), name or path.stem, directed)


def to_text(graph: Graph) -> str:
    """The graph as a tab-separated edge list with a header (what ``parse_edge_list`` reads back)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(["source", "target", "weight"])
    for s, t, w in graph.edges():
        writer.writerow([s, t, repr(w)])
    return buffer.getvalue()


# -- shipped graphs ------------------------------------------------------------------------------

#: key -> (title, description); the graphs come from networkx, which ships them in its source
BUILTIN_GRAPHS: dict[str, tuple[str, str]] = {
    "karate": (N_("Zachary's karate club (networkx)"),
               N_("34 members of a university karate club and who met outside it (Zachary 1977). The club split in two "
                  "after a dispute: the 'club' attribute says which faction each member joined.")),
    "lesmis": (N_("Les Misérables co-appearances (networkx)"),
               N_("77 characters of Victor Hugo's novel; an edge joins two characters who appear in the same chapter, "
                  "weighted by how often (Knuth 1993).")),
    "florentine": (N_("Florentine families (networkx)"),
                   N_("15 Renaissance Florentine families joined by marriage ties (Padgett 1994).")),
}


def builtin_graph(key: str) -> Graph:
    """One of networkx's shipped graphs (no download): 'karate', 'lesmis' or 'florentine'."""
    import networkx as nx

    makers = {"karate": nx.karate_club_graph, "lesmis": nx.les_miserables_graph,
              "florentine": nx.florentine_families_graph}
    if key not in makers:
        raise GraphError(N_("There is no built-in graph called {key!r}; choose one of {makers}."),
                         key=key, makers=', '.join(makers))
    g = makers[key]()
    return from_networkx(g, BUILTIN_GRAPHS[key][0])


def from_networkx(g, name: str) -> Graph:  # noqa: ANN001 - networkx is optional at import time
    """A networkx graph as a ``Graph``, keeping string-valued node attributes and numeric edge weights."""
    nodes = [str(v) for v in g.nodes]
    edges = list(g.edges(data=True))
    weighted = bool(edges) and all(isinstance(d.get("weight"), (int, float)) for _, _, d in edges)
    attributes: dict[str, dict[str, str]] = {}
    for v, data in g.nodes(data=True):
        for key, value in data.items():
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                attributes.setdefault(str(key), {})[str(v)] = str(value)
    return from_edges(name, [str(u) for u, _, _ in edges], [str(v) for _, v, _ in edges],
                      [float(d["weight"]) for _, _, d in edges] if weighted else None,
                      g.is_directed(), attributes, nodes)


def to_networkx(graph: Graph):  # noqa: ANN201
    import networkx as nx

    g = nx.DiGraph() if graph.directed else nx.Graph()
    g.add_nodes_from(graph.nodes)
    g.add_weighted_edges_from(graph.edges())
    return g


def communities(graph: Graph, seed: int = 1) -> dict[str, str]:
    """Node -> community number ("1" = largest), by Louvain modularity on the (weighted) graph."""
    import networkx as nx

    g = to_networkx(graph)
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    found = sorted(found, key=lambda c: (-len(c), min(graph.index[v] for v in c)))
    return {v: str(i + 1) for i, members in enumerate(found) for v in members}


def node_table(graph: Graph, seed: int = 1) -> dict[str, dict[str, str]]:
    """What to colour nodes by: each shipped attribute, the Louvain community and a degree band."""
    table: dict[str, dict[str, str]] = {name: dict(values) for name, values in graph.attributes.items()}
    table["community"] = communities(graph, seed)
    degree = graph.degree()
    bands = np.quantile(degree, [1 / 3, 2 / 3]) if graph.n_nodes else [0, 0]
    table["degree band"] = {v: ("low" if d <= bands[0] else "middle" if d <= bands[1] else "high")
                            for v, d in zip(graph.nodes, degree.tolist())}
    return table


def from_token_lines(lines: Iterable[Sequence[str]], name: str = "corpus") -> Graph:
    """Any tokenised corpus as a graph: consecutive tokens of a line are joined, weighted by how often.

    This is how DeepWalk and Node2Vec train on a text corpus (the word adjacency graph) and how an
    edge list prepared as item IDs (``a b`` a line) becomes its graph again. Every token is a node,
    a line of one token too.
    """
    sources: list[str] = []
    targets: list[str] = []
    nodes: dict[str, None] = {}
    for words in lines:
        for word in words:
            nodes.setdefault(word, None)
        sources.extend(words[:-1])
        targets.extend(words[1:])
    if not nodes:
        raise GraphError(N_("The corpus has no tokens, so there is no graph to walk."))
    if not sources:  # no line has two tokens: give every node a self-loop so walks can start
        sources = targets = list(nodes)
    return from_edges(name, sources, targets, None, False, None, list(nodes))


def node_table_csv(graph: Graph, seed: int = 1) -> str:
    """``id,<attribute>...,community,degree band`` per node: what the map colours nodes by."""
    table = node_table(graph, seed)
    columns = list(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", *columns])
    for node in graph.nodes:
        writer.writerow([node, *(table[c].get(node, "") for c in columns)])
    return buffer.getvalue()


def with_node_table(graph: Graph, text: str) -> Graph:
    """The graph with the attribute columns of a ``node_table_csv`` (computed ones left out)."""
    import dataclasses

    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0][:1] != ["id"]:
        return graph
    attributes = {name: {} for name in rows[0][1:] if name not in ("community", "degree band")}
    for row in rows[1:]:
        for name, value in zip(rows[0][1:], row[1:]):
            if name in attributes and value:
                attributes[name][row[0]] = value
    return dataclasses.replace(graph, attributes=attributes)


def corpus_graph(corpus) -> Graph:  # noqa: ANN001 - a PreparedCorpus (not imported: corpus imports nothing of ours)
    """The graph a corpus stands for: its attached edge list, or for a text corpus the word adjacency graph."""
    import json

    edges = corpus.attachment(GRAPH_FILE)
    if edges is None:
        return from_token_lines(corpus.sentences(), corpus.name)
    facts_path = corpus.attachment(GRAPH_FACTS)
    facts = json.loads(facts_path.read_text(encoding="utf-8")) if facts_path is not None else {}
    graph = parse_edge_list(edges.read_text(encoding="utf-8"), corpus.name, bool(facts.get("directed")))
    nodes = corpus.attachment(NODES_FILE)
    return with_node_table(graph, nodes.read_text(encoding="utf-8")) if nodes is not None else graph
