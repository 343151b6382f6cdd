"""The density layer counts every point, and the map of every point is the PCA/UMAP it claims to be."""

from __future__ import annotations

import numpy as np
import pytest

from embedlab.config import ProjectionParams
from embedlab.density import aggregate, full_window, inside, png_bytes, png_data_uri, shade
from embedlab.errors import Cancelled, EmbedlabError, ParameterError
from embedlab.fullmap import cache_key, load_cached, pca_blocked, project_all, save_cached
from embedlab.progress import CancelToken
from embedlab.projection import clustered_unit_vectors, pca_with_variance


@pytest.fixture(scope="module")
def coords() -> np.ndarray:
    rng = np.random.default_rng(0)
    return np.vstack([rng.normal(size=(30_000, 2)), rng.normal(4, 0.5, size=(10_000, 2))]).astype(np.float32)


def test_whole_map_counts_every_point(coords: np.ndarray) -> None:
    grid = aggregate(coords, width=200, height=150)
    assert grid.shape == (150, 200) and grid.counts.dtype == np.uint32
    assert grid.total == len(coords) and grid.outside == 0


def test_zoomed_window_counts_add_up(coords: np.ndarray) -> None:
    x_range, y_range = (-1.0, 2.5), (-0.5, 4.5)
    grid = aggregate(coords, x_range, y_range, width=64, height=48)
    expected = int(inside(coords, x_range, y_range).sum())
    assert grid.total == expected and grid.total + grid.outside == len(coords)
    assert 0 < grid.total < len(coords)
    # each pixel holds exactly the points in its cell (checked against numpy's own histogram)
    within = coords[inside(coords, x_range, y_range)].astype(np.float64)
    hist, _, _ = np.histogram2d(within[:, 1], within[:, 0], bins=(48, 64), range=(y_range, x_range))
    assert np.abs(grid.counts.astype(np.int64) - hist.astype(np.int64)).sum() <= 0.002 * len(within)  # edge rounding


def test_shading_is_oriented_and_small(coords: np.ndarray) -> None:
    points = np.array([[0.0, 9.0]] * 5 + [[9.0, 0.0]], dtype=np.float32)  # top-left cluster, bottom-right single
    rgba = shade(aggregate(points, (0.0, 9.0), (0.0, 9.0), width=10, height=10))
    assert rgba.shape == (10, 10, 4) and rgba.dtype == np.uint8
    assert rgba[0, 0, 3] > 0 and rgba[-1, -1, 3] > 0  # row 0 is the top of the picture
    assert rgba[5, 5, 3] == 0  # empty pixels are transparent
    big = png_bytes(shade(aggregate(coords)))
    assert big.startswith(b"\x89PNG") and len(big) < 1_000_000
    assert png_data_uri(shade(aggregate(coords, width=8, height=8))).startswith("data:image/png;base64,")


def test_bad_windows_are_refused(coords: np.ndarray) -> None:
    with pytest.raises(EmbedlabError):
        aggregate(coords, (1.0, 1.0), (0.0, 1.0))
    with pytest.raises(EmbedlabError):
        full_window(np.zeros((0, 2)))


def test_blocked_pca_equals_in_memory_pca() -> None:
    unit = clustered_unit_vectors(5_000, 24, n_clusters=10, seed=2)
    blocked, shares = pca_blocked(unit, block=700)
    reference, ref_shares = pca_with_variance(unit)
    assert np.allclose(blocked, reference, atol=1e-4) and np.allclose(shares, ref_shares, atol=1e-6)


def test_blocked_pca_fitted_on_rows_read_block_by_block() -> None:
    """Axes fitted on chosen rows (gathered a block at a time) are those of the chosen rows' own PCA."""
    unit = clustered_unit_vectors(5_000, 24, n_clusters=10, seed=3)
    rows = np.random.default_rng(0).choice(5_000, size=2_100, replace=False)  # unsorted: pca_blocked sorts them
    coords, shares = pca_blocked(unit, block=500, fit_rows=rows)
    own, own_shares = pca_blocked(unit[np.sort(rows)], block=5_000)
    assert coords.shape == (5_000, 2) and np.allclose(coords[np.sort(rows)], own, atol=1e-5)
    assert np.allclose(shares, own_shares, atol=1e-9)


def test_project_all_pca_and_cancel() -> None:
    unit = clustered_unit_vectors(3_000, 16, n_clusters=6, seed=1)
    result = project_all(unit, "pca")
    assert result.coords.shape == (3_000, 2) and str(result.description).startswith("PCA of all 3,000 words")
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        project_all(unit, "pca", cancel=cancel)
    with pytest.raises(ParameterError):
        project_all(unit, "tsne")


def test_umap_through_a_fitted_sample_places_every_word() -> None:
    unit = clustered_unit_vectors(6_000, 16, n_clusters=6, seed=4, spread=0.2)
    seen: list[str] = []
    result = project_all(unit, "umap", ProjectionParams(method="umap", dims=2, n_neighbors=10, seed=0),
                         fit_sample=4_500, on_progress=lambda d, t, m: seen.append(m))
    assert result.coords.shape == (6_000, 2) and np.isfinite(result.coords).all()
    assert len(result.fit_rows) == 4_500 and "fitted on a random sample of 4,500" in str(result.description)
    assert "1,500 placed by UMAP's transform" in str(result.description)
    assert any("transform" in m for m in seen)
    # transformed words land near their cluster: nearest fitted word in the map shares its nearest in vector space
    rest = np.setdiff1d(np.arange(6_000), result.fit_rows)[:200]
    fitted = result.fit_rows
    map_nearest = fitted[np.argmin(((result.coords[rest, None, :] - result.coords[None, fitted, :]) ** 2).sum(-1), axis=1)]
    vec_nearest = fitted[np.argmax(unit[rest] @ unit[fitted].T, axis=1)]
    same_cluster = (unit[map_nearest] * unit[vec_nearest]).sum(1) > 0.5
    assert same_cluster.mean() > 0.8


def test_full_maps_are_cached_on_disk(tmp_path) -> None:
    unit = clustered_unit_vectors(500, 8, n_clusters=3, seed=1)
    result = project_all(unit, "pca")
    key = cache_key("pca", None, 0)
    assert load_cached(tmp_path, "abc", key, 500) is None
    save_cached(tmp_path, "abc", key, result)
    again = load_cached(tmp_path, "abc", key, 500)
    assert again is not None and np.array_equal(again.coords, result.coords) and again.description == result.description
    assert load_cached(tmp_path, "abc", key, 100) is None  # not this model's rows
    assert cache_key("umap", None, 20_000) != cache_key("umap", None, 10_000) and cache_key("pca", None, 1) == key


def test_a_full_maps_caption_reads_in_the_readers_language_cached_files_too(tmp_path) -> None:
    """The caption is facts said in the current language: the Chinese one keeps the PCA's variance shares, after
    the cache too, and a file cached by an older embedlab (an English sentence) still loads with its shares."""
    from embedlab import fullmap
    from embedlab.i18n import format_percent, use_language

    unit = clustered_unit_vectors(500, 8, n_clusters=3, seed=1)
    result = project_all(unit, "pca")
    shares = result.description.shares
    assert shares is not None and 0 < shares[1] <= shares[0] < 1
    english = str(result.description)
    assert english.startswith("PCA of all 500 words (axes keep ") and "of the variance" in english
    with use_language("zh"):
        chinese = str(result.description)
        first, second = format_percent(shares[0]), format_percent(shares[1])
    assert chinese != english and "PCA" in chinese and "of the variance" not in chinese
    assert first in chinese and second in chinese and "500" in chinese
    key = cache_key("pca", None, 0)
    save_cached(tmp_path, "abc", key, result)
    again = load_cached(tmp_path, "abc", key, 500)
    assert again is not None and again.description == result.description
    with use_language("zh"):
        assert str(again.description) == chinese

    # a file written before: its caption was an English sentence in a 'description' array
    path = fullmap.cache_path(tmp_path, "old", key)
    np.savez(path, coords=result.coords, rows=result.rows, fit_rows=result.fit_rows, method=np.array("pca"),
             description=np.array(english), seconds=np.array(1.0))
    old = load_cached(tmp_path, "old", key, 500)
    assert old is not None and np.array_equal(old.coords, result.coords) and str(old.description) == english
    with use_language("zh"):
        assert str(old.description) == chinese


def test_pca_axes_from_a_sample_match_the_full_axes(monkeypatch: pytest.MonkeyPatch) -> None:
    from embedlab import fullmap

    unit = clustered_unit_vectors(6_000, 24, n_clusters=8, seed=5)
    full, _ = pca_blocked(unit)
    monkeypatch.setattr(fullmap, "PCA_FIT_ROWS", 2_000)
    result = project_all(unit, "pca")
    assert "axes fitted on a random sample of 2,000" in str(result.description) and len(result.fit_rows) == 2_000
    for axis in (0, 1):  # the same picture: each axis almost perfectly correlated with the full PCA's
        assert abs(np.corrcoef(full[:, axis], result.coords[:, axis])[0, 1]) > 0.99


def test_sample_search_finds_the_nearest_sample_words() -> None:
    from embedlab.fullmap import SampleSearch

    unit = clustered_unit_vectors(8_000, 16, n_clusters=20, seed=6)
    search = SampleSearch(unit[:6_000])  # large enough for the IVF path
    idx, dist = search.query(unit[6_000:6_200], 10)
    truth = np.argsort(-(unit[6_000:6_200] @ unit[:6_000].T), axis=1)[:, :10]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(idx.tolist(), truth.tolist())])
    assert idx.dtype == np.int32 and recall > 0.9 and np.all(np.diff(dist, axis=1) >= -1e-6)
