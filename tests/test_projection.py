"""Projections (PCA, UMAP with a faiss kNN graph, t-SNE), their disk cache, k-means and category tables."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab import categories as cats
from embedlab import clusters
from embedlab import projection as proj
from embedlab.config import ProjectionParams
from embedlab.errors import EmbedlabError, ParameterError
from embedlab.progress import CancelToken
from embedlab.errors import Cancelled
from embedlab.vectors import WordVectors


def clustered_model(n: int = 600, dim: int = 20, n_clusters: int = 6, seed: int = 0) -> WordVectors:
    unit = proj.clustered_unit_vectors(n, dim, n_clusters=n_clusters, seed=seed, spread=0.2)
    counts = np.arange(n, 0, -1) * 3
    return WordVectors.from_matrix([f"w{i}" for i in range(n)], unit, counts)


# -- sampling and PCA ------------------------------------------------------------------------------

def test_sampling_states_its_policy() -> None:
    wv = clustered_model(100)
    rows, how = proj.sample_rows(wv, 30)
    assert rows.tolist() == list(range(30)) and str(how) == "the 30 most frequent of 100 words"
    rows, how = proj.sample_rows(wv, 30, "random", seed=4)
    assert len(set(rows.tolist())) == 30 and rows.max() < 100 and "random sample of 30 of 100" in str(how)
    assert np.array_equal(rows, proj.sample_rows(wv, 30, "random", seed=4)[0])
    assert not np.array_equal(rows, proj.sample_rows(wv, 30, "random", seed=5)[0])
    with pytest.raises(ParameterError):
        proj.sample_rows(wv, 30, "alphabetical")


def test_pca_matches_the_svd_and_has_stable_signs() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 12)) * np.linspace(5, 1, 12)
    coords = proj.pca(x, 3)
    assert coords.shape == (300, 3) and coords.dtype == np.float32
    centred = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    assert np.allclose(np.abs(coords), np.abs(centred @ vt[:3].T), atol=1e-3)
    assert np.allclose(proj.pca(x[::-1], 3)[::-1], coords, atol=1e-4)  # row order does not flip axes
    assert proj.pca(x[:, :1], 2).shape == (300, 2)


@pytest.mark.parametrize("dims", [2, 3])
def test_project_pca_shapes(dims: int) -> None:
    wv = clustered_model(200)
    result = proj.project(wv, ProjectionParams(method="pca", dims=dims, n_points=150))
    assert result.coords.shape == (150, dims) and result.rows.tolist() == list(range(150))
    assert str(result.description) == "the 150 most frequent of 200 words"
    assert result.words(wv)[:2] == ["w0", "w1"]


# -- UMAP --------------------------------------------------------------------------------------------

def test_umap_knn_is_umaps_format_and_exact() -> None:
    unit = proj.clustered_unit_vectors(300, 16, seed=2)
    unit[7] = unit[3]  # a duplicate: row 7 must still list itself first
    indices, dists = proj.umap_knn(unit, 8)
    assert indices.shape == dists.shape == (300, 8)
    assert np.array_equal(indices[:, 0], np.arange(300)) and np.all(dists[:, 0] == 0)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    expected = np.sort(-np.sort(-sims, axis=1)[:, :7], axis=1)
    assert np.allclose(np.sort(1 - dists[:, 1:], axis=1), expected, atol=1e-5)
    assert np.all(np.diff(dists, axis=1) >= -1e-6)  # nearest first
    assert 3 in indices[7, :2]


def test_umap_is_deterministic_with_a_seed_and_keeps_clusters_apart() -> None:
    wv = clustered_model(500, n_clusters=5)
    params = ProjectionParams(method="umap", n_points=500, n_neighbors=10, seed=3)
    progress: list[tuple[float, float, str]] = []
    first = proj.project(wv, params, on_progress=lambda d, t, m: progress.append((d, t, m)))
    second = proj.project(wv, params)
    assert first.coords.shape == (500, 2) and first.coords.dtype == np.float32
    assert np.array_equal(first.coords, second.coords)
    assert any("epoch" in m for _, _, m in progress) and progress[-1][:2] == (1, 1)
    # the planted clusters stay together: each point's nearest map neighbour is usually in its own cluster
    labels = clusters.kmeans_labels(np.asarray(wv.unit), 5)
    d = ((first.coords[:, None, :] - first.coords[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    assert (labels[d.argmin(axis=1)] == labels).mean() > 0.9


def test_umap_3d_and_cancel() -> None:
    wv = clustered_model(200)
    coords = proj.project(wv, ProjectionParams(method="umap", dims=3, n_points=200, n_neighbors=5, seed=1)).coords
    assert coords.shape == (200, 3) and np.isfinite(coords).all()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        proj.project(wv, ProjectionParams(method="umap", n_points=200), cancel=token)


def test_tsne_and_its_limits() -> None:
    wv = clustered_model(120)
    result = proj.project(wv, ProjectionParams(method="tsne", n_points=120, perplexity=10, seed=1))
    assert result.coords.shape == (120, 2)
    big = clustered_model(proj.TSNE_MAX_POINTS + 1, dim=4)
    with pytest.raises(ParameterError, match="t-SNE is limited"):
        proj.project(big, ProjectionParams(method="tsne", n_points=proj.TSNE_MAX_POINTS + 1))
    with pytest.raises(EmbedlabError):
        proj.project(clustered_model(4), ProjectionParams(method="umap"))
    # the page validates before starting a job: the limit applies to the words actually shown
    with pytest.raises(ParameterError, match="t-SNE is limited"):
        proj.validate(ProjectionParams(method="tsne", n_points=20_000), n_words=80_000)
    proj.validate(ProjectionParams(method="tsne", n_points=20_000), n_words=3_000)
    with pytest.raises(ParameterError, match="Method"):
        proj.validate(ProjectionParams(method="mds"), n_words=100)


# -- the disk cache --------------------------------------------------------------------------------------

def test_a_cached_map_says_which_words_it_shows_in_the_readers_language(tmp_path) -> None:
    """The cache keeps the facts, not an English sentence: a map made in an English session reads in Chinese."""
    from embedlab.i18n import use_language
    from embedlab.workspace import Workspace

    workspace = Workspace(tmp_path)
    wv = clustered_model(2_000)
    # PCA layouts (quick) through the store's cache, which keeps any method's map the same way
    frequent, random = ProjectionParams(n_points=1_500), ProjectionParams(n_points=1_500, sampling="random", seed=3)
    with use_language("en"):
        made = proj.project(wv, frequent)
        assert str(made.description) == "the 1,500 most frequent of 2,000 words"
        workspace.save_projection(wv, made)
        workspace.save_projection(wv, proj.project(wv, random))
    with use_language("zh"):
        assert str(workspace.load_projection(wv, frequent).description) == "2,000 个词中最常见的 1,500 个"
        assert str(workspace.load_projection(wv, random).description) == "从 2,000 个词中均匀随机抽取的 1,500 个（种子 3）"
    assert str(workspace.load_projection(wv, random).description) == \
        "a uniform random sample of 1,500 of 2,000 words (seed 3)"


def test_maps_cached_as_english_sentences_still_load_and_read_in_chinese(tmp_path) -> None:
    """A cache file written before the facts were stored (coords, rows, an English sentence, seconds)."""
    from embedlab.i18n import use_language
    from embedlab.workspace import Workspace, projection_key

    workspace = Workspace(tmp_path)
    wv = clustered_model(300)
    for params, rows, sentence, chinese in [
        (ProjectionParams(n_points=200), np.arange(200), "the 200 most frequent of 300 words", "300 个词中最常见的 200 个"),
        (ProjectionParams(n_points=1_000), np.arange(300), "all 300 words", "全部 300 个词"),
        (ProjectionParams(n_points=100, sampling="random"), np.arange(0, 300, 3),
         "a uniform random sample of 100 of 300 words (seed 0)", "从 300 个词中均匀随机抽取的 100 个（种子 0）"),
    ]:
        path = tmp_path / "cache" / "projections" / f"{wv.fingerprint}-{projection_key(params)}.npz"
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, coords=np.zeros((len(rows), 2), np.float32), rows=rows.astype(np.int64),
                 description=np.array(sentence), seconds=np.array(0.5))
        old = workspace.load_projection(wv, params)
        assert old is not None and old.rows.tolist() == rows.tolist() and str(old.description) == sentence
        with use_language("zh"):
            assert str(old.description) == chinese


def test_cache_round_trip_and_keys(tmp_path) -> None:
    from embedlab.workflows import project_cached
    from embedlab.workspace import Workspace, projection_key

    workspace = Workspace(tmp_path)
    wv = clustered_model(100)
    params = ProjectionParams(method="umap", n_points=80, n_neighbors=5, seed=1)
    made = project_cached(workspace, wv, params)
    path = tmp_path / "cache" / "projections" / f"{wv.fingerprint}-{projection_key(params)}.npz"
    assert path.exists()
    again = workspace.load_projection(wv, params)
    assert again is not None and np.array_equal(again.coords, made.coords) and again.description == made.description
    assert workspace.load_projection(wv, ProjectionParams(method="umap", n_points=80, n_neighbors=6, seed=1)) is None
    # PCA ignores UMAP's settings, and the seed when nothing is random
    assert projection_key(ProjectionParams(n_neighbors=5)) == projection_key(ProjectionParams(n_neighbors=50, seed=2))
    assert projection_key(ProjectionParams(sampling="random", seed=1)) != projection_key(ProjectionParams(sampling="random", seed=2))
    path.write_bytes(b"not an npz")  # a damaged file is recomputed, not an error
    assert workspace.load_projection(wv, params) is None


def test_warm_up_runs_once() -> None:
    proj.warm_up()
    assert proj.is_warm() and proj.warm_up() == 0.0


# -- k-means --------------------------------------------------------------------------------------------

def test_kmeans_finds_planted_clusters_deterministically() -> None:
    unit = proj.clustered_unit_vectors(400, 16, n_clusters=4, seed=5, spread=0.1)
    labels = clusters.kmeans_labels(unit, 4)
    assert labels.shape == (400,) and set(labels.tolist()) == {0, 1, 2, 3}
    assert np.array_equal(labels, clusters.kmeans_labels(unit, 4))
    sizes = np.bincount(labels)
    assert np.all(np.diff(sizes) <= 0)  # numbered by size
    # points at the same planted centre share a cluster: the clustering agrees with the planted one
    rng = np.random.default_rng(5)
    centres = rng.normal(size=(4, 16))
    planted = (unit @ (centres / np.linalg.norm(centres, axis=1, keepdims=True)).T).argmax(axis=1)
    for c in range(4):
        assert len(set(labels[planted == c].tolist())) == 1
    with pytest.raises(ParameterError):
        clusters.kmeans_labels(unit[:3], 4)
    with pytest.raises(ParameterError):
        clusters.kmeans_labels(unit, 1)


# -- category tables ------------------------------------------------------------------------------------

def test_category_csv_parsing() -> None:
    table = cats.read_table("ID;title;category\nP1;Phone;phones\nP2;Case;accessories\nP3;Cable;accessories\n".encode())
    made = cats.from_table(table, "mine.csv")
    assert made.column == "category" and made.mapping == {"P1": "phones", "P2": "accessories", "P3": "accessories"}
    assert made.labels(["P1", "P9"], "?") == ["phones", "?"] and made.coverage(["P1", "P9"]) == 0.5
    assert made.annotations(["P2", "P9"]) == {"title": ["Case", ""], "category": ["accessories", ""]}
    assert made.find_by_title("CA", known={"P1", "P2"}) == ["P2"] and made.find_by_title("cable", known={"P1"}) == []
    assert made.describe("P2") == r"**P2**: Case · category *accessories* (from mine\.csv)" and made.describe("P9") is None
    untitled = cats.from_table(cats.read_table(b"word,kind\nking,royal\n"), "k.csv")
    assert untitled.annotations(["king"]) == {"kind": ["royal"]}  # no title column: no title
    with pytest.raises(EmbedlabError, match="column named one of"):
        cats.from_table(cats.read_table(b"name,kind\na,b\n"), "x")
    with pytest.raises(EmbedlabError, match="at least two columns"):
        cats.read_table(b"word\nking\n")
    with pytest.raises(EmbedlabError, match="not a text CSV"):
        cats.read_table(b"\x80\x03}q\x00(X\x01\x00\x00\x00")
    # legacy encodings are detected as the corpus reader does (many of our users' CSVs are GBK)
    chinese = cats.from_table(cats.read_table("word,category\n国王,人物\n北京,城市\n".encode("gb18030")), "zh.csv")
    assert chinese.mapping == {"国王": "人物", "北京": "城市"}


def test_builtin_items_table() -> None:
    from embedlab.samples import get_sample

    items = cats.from_csv(get_sample("sessions").metadata_path)
    assert items.column == "category" and items.mapping["P0001"] == "phones"
    assert items.titles["P0001"] == "Orbit A10 Pro phone"  # the title column becomes hover notes
