"""A model trained for one deployment lives beside its database and is used only when named."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.app import use_trained_model
from bot.tools.detector.cli import register
from bot.tools.detector.data import CSV_NAME, find_data_dir, read_csv
from bot.tools.detector.train import stratified_split
from handlers.ads.handler import Ads
from handlers.ads.model_io import DEFAULT_MODEL_PATH, ModelFileError, load_model
from handlers.registry import build_features


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = read_csv(find_data_dir() / CSV_NAME)
    _, pick = stratified_split([label for label, _ in rows], 0.05, seed=5)
    folder = tmp_path_factory.mktemp("ads")
    with (folder / CSV_NAME).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["target", "input"])
        writer.writerows(rows[i] for i in pick[:600])
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_training_without_out_writes_beside_the_database_not_over_the_shipped_model(
    small_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = typer.Typer()
    register(app)
    shipped_before = _digest(DEFAULT_MODEL_PATH)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QUNBOT_DATABASE_URL", f"sqlite+aiosqlite:///{data_dir / 'qunbot.db'}")

    result = CliRunner().invoke(app, ["train-detector", "--data", str(small_data), "--json"])

    assert result.exit_code == 0, result.output
    written = Path(json.loads(result.stdout)["out"])
    assert written == data_dir / "ads-model.npz" and written.is_file()
    assert _digest(DEFAULT_MODEL_PATH) == shipped_before


def test_the_bot_runs_on_the_model_it_is_given(small_data: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    out = tmp_path / "ours.npz"
    result = CliRunner().invoke(
        app, ["train-detector", "--data", str(small_data), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output

    features = build_features()
    use_trained_model(features, out)
    ads = next(f for f in features if isinstance(f, Ads))
    assert ads._shipped_model() is not None
    assert ads._shipped_model().weights == load_model(out).weights  # type: ignore[union-attr]

    (tmp_path / "broken.npz").write_bytes(b"not a model")
    with pytest.raises(ModelFileError):
        use_trained_model(build_features(), tmp_path / "broken.npz")
