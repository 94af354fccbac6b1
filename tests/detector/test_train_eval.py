"""Training and evaluation end to end on a slice of the real data, the shipped model, and the community
sets."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.tools.benchmarks.detector import messages, run
from bot.tools.detector.cli import register
from bot.tools.detector.data import CSV_NAME, DataError, find_data_dir, read_csv
from bot.tools.detector.train import choose_threshold, stratified_split
from handlers.ads.model_io import DEFAULT_MODEL_PATH, ModelFileError, load_model, save_model, shipped_model
from rules.ads import AdDetector, AdRules, LinearModel, MessageFacts

COMMUNITY = Path(__file__).resolve().parents[1] / "data"
KEYS = {"precision", "recall", "accuracy", "f1", "roc_auc", "n", "msgs_per_s"}


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture(scope="module")
def slice_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 training rows and 600 test rows of zh-train.csv, stratified (read from the shared folder)."""
    rows = read_csv(find_data_dir() / CSV_NAME)
    _, pick = stratified_split([label for label, _ in rows], 0.1, seed=3)
    chosen = [rows[i] for i in pick]
    folder = tmp_path_factory.mktemp("ads")
    for name, part in ((CSV_NAME, chosen[:1200]), ("test.csv", chosen[1200:1800])):
        with (folder / name).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["target", "input"])
            writer.writerows(part)
    return folder


def _lines(name: str) -> list[str]:
    return [
        line.strip() for line in (COMMUNITY / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_train_then_eval_cli_json(app: typer.Typer, slice_dir: Path) -> None:
    runner = CliRunner()
    model_file = slice_dir / "model.npz"
    trained = runner.invoke(
        app, ["train-detector", "--data", str(slice_dir), "--out", str(model_file), "--json"]
    )
    assert trained.exit_code == 0, trained.output
    report = json.loads(trained.stdout)
    assert (
        report["rows"] == 1200
        and report["features"] > 100
        and model_file.stat().st_size == report["size_bytes"]
    )

    result = runner.invoke(
        app, ["eval-detector", "--data", str(slice_dir / "test.csv"), "--model", str(model_file), "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == KEYS
    assert figures["n"] == 600
    # 1,200 rows give a timid model (the detector lets it decide alone only above 0.8): sanity bounds only.
    assert (
        0.65 < figures["accuracy"] <= 1.0 and 0.8 < figures["roc_auc"] <= 1.0 and figures["precision"] > 0.9
    )
    assert (
        0.0 <= figures["precision"] <= 1.0 and 0.0 <= figures["recall"] <= 1.0 and figures["msgs_per_s"] > 0
    )


def test_training_is_reproducible(slice_dir: Path) -> None:
    from bot.tools.detector.train import fit

    rows = read_csv(slice_dir / CSV_NAME)[:400]
    first, second = fit(rows), fit(rows)
    assert first.weights == second.weights and first.threshold == second.threshold


def test_holdout_report_without_writing(app: typer.Typer, slice_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["train-detector", "--data", str(slice_dir), "--holdout", "0.25", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["out"] is None and report["rows"] == 900 and set(report["holdout"]) == KEYS


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("label,text\n1,加微信\n", "missing column"),
        ("target,input\n2,加微信\n", "target must be 0 or 1"),
        ("target,input\n", "no rows"),
    ],
)
def test_eval_bad_csv_exits_2(app: typer.Typer, tmp_path: Path, content: str, reason: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["eval-detector", "--data", str(bad), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert reason in result.stderr and result.stderr.count("\n") == 1


def test_eval_missing_file_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval-detector", "--data", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_train_without_data_exits_2(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train-detector", "--data", str(tmp_path), "--json"])
    assert result.exit_code == 2 and "ad data not found" in result.stderr


def test_data_dir_from_environment(monkeypatch: pytest.MonkeyPatch, slice_dir: Path, tmp_path: Path) -> None:
    monkeypatch.setenv("QUNBOT_ADS_DATA", str(slice_dir))
    monkeypatch.chdir(tmp_path)
    assert find_data_dir() == slice_dir.resolve()
    with pytest.raises(DataError, match="ad data not found"):
        find_data_dir(tmp_path)


def test_model_file_round_trip_and_errors(tmp_path: Path) -> None:
    model = LinearModel({"加v": 1.5, "收到": -2.0}, bias=-0.5, threshold=0.6, meta={"rows": 2})
    path = tmp_path / "m.npz"
    save_model(model, path)
    loaded = load_model(path)
    assert loaded.weights == model.weights and loaded.bias == -0.5 and loaded.threshold == pytest.approx(0.6)
    assert loaded.meta == {"rows": 2}
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelFileError):
        load_model(tmp_path / "junk.npz")
    with pytest.raises(ModelFileError):
        load_model(tmp_path / "missing.npz")


def test_a_model_file_with_other_arrays_is_refused(tmp_path: Path) -> None:
    """The loader reads the .npy arrays save_model writes and nothing else: other dtypes or a 2-d array are a
    ModelFileError naming the file, never a wrong model."""
    import numpy as np

    model = LinearModel({"加v": 1.5, "收到": -2.0}, bias=-0.5, threshold=0.6)
    good = tmp_path / "good.npz"
    save_model(model, good)
    with np.load(good) as data:
        arrays = {name: data[name] for name in data.files}
    for name, wrong in (
        ("weights", arrays["weights"].astype(np.float64)),
        ("keys", np.array([1, 2])),
        ("weights", np.array([[1.5], [-2.0]], dtype=np.float32)),
    ):
        path = tmp_path / f"bad-{name}-{wrong.dtype}-{wrong.ndim}.npz"
        np.savez_compressed(path, **{**arrays, name: wrong})
        with pytest.raises(ModelFileError, match=path.name):
            load_model(path)


def test_the_bot_reads_its_model_without_numpy() -> None:
    """NumPy is for training: loading the shipped model in a process where it cannot be imported works (and
    gives the weights NumPy reads)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['numpy'] = None\n"
        "from handlers.ads.model_io import shipped_model\n"
        "m = shipped_model(); print(len(m.weights), repr(m.weights[min(m.weights)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    import numpy as np

    with np.load(DEFAULT_MODEL_PATH) as data:
        keys, weights = data["keys"].tolist(), data["weights"].astype(np.float64).tolist()
    first = min(keys)
    assert out.split() == [str(len(keys)), repr(weights[keys.index(first)])]


def test_choose_threshold_keeps_precision() -> None:
    labels = [0, 0, 0, 1, 1, 1, 0, 1]
    probs = [0.1, 0.3, 0.62, 0.7, 0.8, 0.9, 0.66, 0.4]
    t = choose_threshold(labels, probs, min_precision=0.99)
    assert 0.66 < t <= 0.7


def test_shipped_model_loads_and_is_small() -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size < 5_000_000
    model = shipped_model()
    assert len(model.weights) > 1000 and 0.2 <= model.threshold <= 0.95
    assert shipped_model() is model  # loaded once


@pytest.mark.parametrize("part", ["all", "held-out"])
def test_community_sets_with_shipped_model(part: str) -> None:
    """≤ 2 % of honest posts flagged, ≥ 90 % of ads caught. "held-out": odd lines, never used for tuning."""
    ham, spam = _lines("community_ham.txt"), _lines("community_spam.txt")
    assert len(ham) >= 150 and len(spam) >= 150
    if part == "held-out":
        ham, spam = ham[1::2], spam[1::2]
    detector = AdDetector(AdRules(), shipped_model())
    flagged = [t for t in ham if detector.detect(MessageFacts(text=t)).hit]
    missed = [t for t in spam if not detector.detect(MessageFacts(text=t)).hit]
    assert len(flagged) <= 0.02 * len(ham), flagged
    assert len(missed) <= 0.10 * len(spam), missed


def test_benchmark_reports_figures() -> None:
    figures = run(200)
    assert {"msgs_per_s", "mean_us", "p99_us"} <= set(figures) and figures["messages"] == 200
    assert figures["slowest_round_msgs_per_s"] <= figures["median_round_msgs_per_s"] <= figures["msgs_per_s"]
    assert 0.1 < figures["flagged_share"] < 0.4  # the mix has one ad in five or so, all caught
    assert len({m.text for m in messages(230)}) > 120  # numbered texts differ; "收到" repeats, as in a group


def test_training_learns_from_the_admins_samples(app: typer.Typer, slice_dir: Path, tmp_path: Path) -> None:
    """/spam and /notspam store samples; ``train-detector --db`` adds them (weighted) to the data set."""
    import asyncio
    from datetime import UTC, datetime

    from storage import migrate
    from storage.db import Database
    from storage.repos.ad_samples import HAM, SPAM, add_sample

    honest = "推荐一篇讲用户增长的文章 https://mp.weixin.qq.com/s/Qx7aB 里面 AARRR 那段可以直接套用"
    lure = "课程资料免费送，私我暗号 888 领取"
    db_file = tmp_path / "feedback.db"

    async def store() -> None:
        database = Database(str(db_file))
        await migrate.upgrade(database)
        async with database.session() as session:
            for _ in range(3):
                await add_sample(
                    session, "console:group:g", HAM, honest, "adm", datetime(2026, 3, 1, tzinfo=UTC)
                )
                await add_sample(
                    session, "console:group:g", SPAM, lure, "adm", datetime(2026, 3, 1, tzinfo=UTC)
                )
            await session.commit()
        await database.close()

    asyncio.run(store())
    runner = CliRunner()
    plain, taught = tmp_path / "plain.npz", tmp_path / "taught.npz"
    for out, extra in ((plain, []), (taught, ["--db", str(db_file)])):
        result = runner.invoke(
            app, ["train-detector", "--data", str(slice_dir), "--out", str(out), "--json", *extra]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["feedback_rows"] == (6 if extra else 0)

    def probability(path: Path, text: str) -> float:
        from rules.normalize import normalize

        return load_model(path).probability(normalize(text))

    assert probability(taught, honest) < probability(plain, honest)
    assert probability(taught, lure) > probability(plain, lure)


def test_training_learns_from_the_tuned_halves_of_the_community_sets(
    app: typer.Typer, slice_dir: Path, tmp_path: Path
) -> None:
    """--community DIR adds the tune*_ham / tune*_spam lines (weighted like admins' samples); an untuned half
    is never read: here it is labelled the other way round, so reading it would teach the opposite."""
    honest = "推荐一篇讲用户增长的文章 https://mp.weixin.qq.com/s/Qx7aB 里面 AARRR 那段可以直接套用"
    lure = "课程资料免费送，私我暗号 888 领取"
    sets = tmp_path / "hard"
    sets.mkdir()
    (sets / "tune7_ham.txt").write_text(f"{honest}\n{honest}\n", encoding="utf-8")
    (sets / "tune7_spam.txt").write_text(f"{lure}\n{lure}\n", encoding="utf-8")
    (sets / "untuned7_ham.txt").write_text(f"{lure}\n" * 5, encoding="utf-8")
    (sets / "untuned7_spam.txt").write_text(f"{honest}\n" * 5, encoding="utf-8")
    runner = CliRunner()
    plain, taught = tmp_path / "plain.npz", tmp_path / "taught.npz"
    for out, extra, rows in ((plain, ["--no-community"], 0), (taught, ["--community", str(sets)], 4)):
        result = runner.invoke(
            app, ["train-detector", "--data", str(slice_dir), "--out", str(out), "--json", *extra]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["community_rows"] == rows

    def probability(path: Path, text: str) -> float:
        from rules.normalize import normalize

        return load_model(path).probability(normalize(text))

    assert probability(taught, honest) < probability(plain, honest)
    assert probability(taught, lure) > probability(plain, lure)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["train-detector", "--data", str(slice_dir), "--community", str(empty)])
    assert result.exit_code == 2 and "no tune*_ham.txt" in result.stderr


def test_training_with_a_database_without_samples_table_exits_2(
    app: typer.Typer, slice_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["train-detector", "--data", str(slice_dir), "--db", str(missing), "--json"])
    assert result.exit_code == 2 and "no such database file" in result.stderr
    assert not missing.exists()  # a typo creates no empty database
    empty = tmp_path / "empty.db"
    empty.touch()
    result = runner.invoke(app, ["train-detector", "--data", str(slice_dir), "--db", str(empty), "--json"])
    assert result.exit_code == 2 and "cannot read the admins' samples" in result.stderr


def test_eval_detector_cross_validation_and_sets(app: typer.Typer, slice_dir: Path, tmp_path: Path) -> None:
    """--folds K: every fold judged by a model that never saw it (its threshold chosen by its own inner
    cross-validation); --sets: hand-written sets, honest and ads apart."""
    sets = tmp_path / "sets"
    sets.mkdir()
    (sets / "mine_ham.txt").write_text("收到，谢谢\n明天下午三点开会\n", encoding="utf-8")
    (sets / "mine_spam.txt").write_text("加我微信 abc12345 带你日赚 500\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        app, ["eval-detector", "--folds", "2", "--data", str(slice_dir), "--sets", str(sets), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    cv = report["cv"]
    assert cv["k"] == 2 and len(cv["folds"]) == 2
    assert sum(f["n"] for f in cv["folds"]) == cv["pooled"]["n"] == 1200  # every row judged once
    assert all(set(f) >= KEYS and 0.2 <= f["threshold"] <= 0.95 for f in cv["folds"])
    assert cv["precision"]["min"] <= cv["precision"]["mean"] <= cv["precision"]["max"]
    mine = report["sets"]["mine"]
    assert mine["honest"] == 2 and mine["ads"] == 1 and mine["ads_caught"] == 1.0
    assert mine["honest_flagged"] == 0.0 and mine["flagged"] == [] and mine["missed"] == []
    text = runner.invoke(app, ["eval-detector", "--sets", str(sets)])
    assert text.exit_code == 0 and "mine: honest flagged 0.0% of 2, ads caught 100.0% of 1" in text.stdout


def test_eval_detector_needs_something_to_measure(app: typer.Typer, tmp_path: Path) -> None:
    runner = CliRunner()
    for args in ([], ["--folds", "1"], ["--sets", str(tmp_path)]):
        result = runner.invoke(app, ["eval-detector", *args])
        assert result.exit_code == 2 and result.stderr.startswith("error: "), args
