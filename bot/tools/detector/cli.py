"""``qunbot train-detector`` and ``qunbot eval-detector``: the ad model, reproducible by one command and
measured.

Bad input (missing file, wrong columns, no data set) prints one line on stderr and exits with code 2. With
``--json`` stdout holds exactly one JSON object and no progress is shown.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.tools.detector.data import (
    CSV_NAME,
    DataError,
    Sample,
    community_dir,
    find_data_dir,
    read_community,
    read_csv,
    read_lines,
)
from rules.ads import AdDetector, AdRules

__all__ = ["eval_detector", "register", "train_detector"]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar on a terminal (on stderr); a no-op with ``--json`` or when piped."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda stage, done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def update(stage: str, done: int, total: int) -> None:
            task = tasks.get(stage)
            if task is None:
                task = tasks[stage] = bar.add_task(stage, total=total)
            bar.update(task, completed=done, total=total)  # type: ignore[arg-type]

        yield update


# Shared by train-detector and eval-detector --folds (each fold trains the way the shipped model does).
CommunityOption = Annotated[
    Path | None,
    typer.Option(
        "--community",
        help="Folder of hand-written sets whose tune*_ham.txt / tune*_spam.txt halves also train (weighted"
        " like admins' corrections; default: the repository's tests/data/hard). Untuned halves never do.",
    ),
]
NoCommunityOption = Annotated[bool, typer.Option("--no-community", help="Train on the data set alone.")]


def train_detector(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help=f"Folder with {CSV_NAME} (default: QUNBOT_ADS_DATA, ../shared/data/ads)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=f"Model file to write (default: {TRAINED_MODEL_NAME} next to the database; the bot uses it"
            " when QUNBOT_ADS_MODEL names it). The shipped model is replaced only when named here.",
        ),
    ] = None,
    holdout: Annotated[
        float,
        typer.Option(
            "--holdout", min=0.0, max=0.5, help="Keep this share of the CSV out of training and report on it."
        ),
    ] = 0.0,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the split (the model fit is deterministic).")
    ] = 7,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Also learn from the admins' /spam and /notspam samples in this database (URL or path).",
        ),
    ] = None,
    community: CommunityOption = None,
    no_community: NoCommunityOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object, no progress.")] = False,
) -> None:
    """Train the ad model from the data set (fixed seed: the same files give the same model) and write it."""
    from bot.tools.detector.train import fit, load_extra_samples, stratified_split
    from handlers.ads.model_io import DEFAULT_MODEL_PATH, save_model  # numpy: for these commands only

    try:
        folder = find_data_dir(data)
        csv_rows = read_csv(folder / CSV_NAME)
        extra = load_extra_samples(folder)
        hand_written = _community(community, no_community)
    except DataError as exc:
        _fail(str(exc))
    if db is not None and "://" not in db and not Path(db).is_file():
        _fail(f"no such database file: {db}")
    feedback = _feedback(db) if db is not None else []
    test_rows: list[tuple[int, str]] = []
    if holdout > 0:
        train_idx, test_idx = stratified_split([label for label, _ in csv_rows], holdout, seed)
        test_rows = [csv_rows[i] for i in test_idx]
        csv_rows = [csv_rows[i] for i in train_idx]
    target = out if out is not None else (None if holdout > 0 else trained_model_path(db))
    with _progress(not as_json) as progress:
        model = fit([*csv_rows, *extra], feedback=[*hand_written, *feedback], progress=progress)
        size = save_model(model, target) if target is not None else 0
        report: dict[str, object] = {
            "out": str(target) if target is not None else None,
            "rows": len(csv_rows) + len(extra),
            "feedback_rows": len(feedback),
            "community_rows": len(hand_written),
            "features": len(model.weights),
            "threshold": model.threshold,
            "size_bytes": size,
        }
        if test_rows:
            detector = AdDetector(AdRules(), model)
            from bot.tools.detector.evaluate import evaluate

            figures = evaluate(test_rows, detector, lambda done, total: progress("evaluate", done, total))
            report["holdout"] = figures.as_dict()
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    typer.echo(
        f"trained on {report['rows']} rows, {len(hand_written)} hand-written community lines and"
        f" {len(feedback)} admin samples: {report['features']} n-gram"
        f" weights, threshold {model.threshold:.2f}"
    )
    if target is not None:
        typer.echo(f"wrote {target} ({size / 1e6:.2f} MB)")
        if target.resolve() != DEFAULT_MODEL_PATH.resolve():
            typer.echo(f"the bot uses it with QUNBOT_ADS_MODEL={target}")
    if test_rows:
        typer.echo(f"held-out {holdout:.0%} of {CSV_NAME} (seed {seed}): " + _figures_line(report["holdout"]))


TRAINED_MODEL_NAME = "ads-model.npz"


def trained_model_path(db: str | None) -> Path:
    """Where a model trained without ``--out`` goes: beside the SQLite database it learned from (or the one
    the settings name), else the working directory; never over the model shipped in the package, which an
    upgrade would replace and which every other deployment shares."""
    from bot.settings import Settings
    from storage.db import normalize_url, sqlite_file

    try:
        url = normalize_url(db or Settings().database_url)
        database = sqlite_file(url)
    except ValueError:
        database = None
    folder = database.resolve().parent if database is not None else Path.cwd()
    return folder / TRAINED_MODEL_NAME


def _feedback(db: str) -> list[tuple[int, str]]:
    """The admins' labelled samples (``ad_samples``), read once; a database without them is an error."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.db import Database
    from storage.repos.ad_samples import feedback_samples

    async def read() -> list[tuple[int, str]]:
        database = Database(db)
        try:
            async with database.session() as session:
                return await feedback_samples(session)
        finally:
            await database.close()

    try:
        return asyncio.run(read())
    except (SQLAlchemyError, OSError) as exc:
        _fail(f"cannot read the admins' samples from {db}: {exc.__class__.__name__}: {exc}".split("\n")[0])


def _figures_line(figures: object) -> str:
    assert isinstance(figures, dict)
    return (
        f"precision {figures['precision']:.4f}  recall {figures['recall']:.4f}  "
        f"accuracy {figures['accuracy']:.4f}  "
        f"F1 {figures['f1']:.4f}  ROC AUC {figures['roc_auc']:.4f}  n {figures['n']}  "
        f"{figures['msgs_per_s']:.0f} msgs/s"
    )


def eval_detector(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help=f"CSV with columns target,input (1 = ad); with --folds, the folder holding {CSV_NAME}.",
        ),
    ] = None,
    folds: Annotated[
        int,
        typer.Option(
            "--folds",
            min=0,
            max=20,
            help=f"k-fold cross-validation over {CSV_NAME}: train on k-1 folds, judge the held one (0: off).",
        ),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the folds.")] = 17,
    sets: Annotated[
        Path | None,
        typer.Option(
            "--sets", help="Folder of hand-written <name>_ham.txt / <name>_spam.txt sets to judge too."
        ),
    ] = None,
    model_path: Annotated[
        Path | None, typer.Option("--model", help="Model file (default: the shipped model).")
    ] = None,
    community: CommunityOption = None,
    no_community: NoCommunityOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object, no progress.")] = False,
) -> None:
    """Measure the full detector (signals + model, default rules): on a labelled CSV, by k-fold
    cross-validation over the data set (--folds), and on hand-written community sets (--sets)."""
    if folds == 1:
        _fail("--folds needs at least 2 folds")
    if data is None and not folds and sets is None:
        _fail("give --data FILE.csv, --folds K or --sets FOLDER")
    report: dict[str, object] = {}
    with _progress(not as_json) as progress:
        if folds:
            report["cv"] = _cross_validation(data, folds, seed, (community, no_community), progress)
        if data is not None and not folds:
            try:
                samples = read_csv(data)
            except DataError as exc:
                _fail(str(exc))
            from bot.tools.detector.evaluate import evaluate

            figures = evaluate(samples, _shipped(model_path), lambda d, t: progress("evaluate", d, t))
            report["data"] = figures.as_dict()
        if sets is not None:
            report["sets"] = _sets(sets, _shipped(model_path))
    if as_json:
        typer.echo(json.dumps(report["data"] if list(report) == ["data"] else report, ensure_ascii=False))
        return
    for line in _report_lines(report):
        typer.echo(line)


def _shipped(model_path: Path | None) -> AdDetector:
    from handlers.ads.model_io import DEFAULT_MODEL_PATH, ModelFileError, load_model

    try:
        return AdDetector(AdRules(), load_model(model_path or DEFAULT_MODEL_PATH))
    except ModelFileError as exc:
        _fail(str(exc))


def _cross_validation(
    data: Path | None,
    k: int,
    seed: int,
    community: tuple[Path | None, bool],
    progress: Callable[[str, int, int], None],
) -> dict[str, object]:
    from bot.tools.detector.crossval import cross_validate
    from bot.tools.detector.train import load_extra_samples

    try:
        folder = find_data_dir(data)
        rows = read_csv(folder / CSV_NAME)
        extra = load_extra_samples(folder)
        hand_written = _community(*community)
    except DataError as exc:
        _fail(str(exc))
    return cross_validate(
        rows, extra=extra, community=hand_written, k=k, seed=seed, progress=progress
    ).as_dict()


def _community(folder: Path | None, off: bool) -> list[Sample]:
    """The hand-written sets' tuned halves that train with the data set (none with --no-community, or where
    the package runs without its repository and no folder is named)."""
    if off:
        return []
    folder = folder or community_dir()
    return read_community(folder) if folder is not None else []


def _sets(folder: Path, detector: AdDetector) -> dict[str, dict[str, object]]:
    """Per set: the share of honest posts flagged and of ads caught, with the texts the detector got wrong."""
    from rules.ads import MessageFacts

    names = sorted({p.name.rsplit("_", 1)[0] for p in folder.glob("*_ham.txt")})
    if not names:
        _fail(f"{folder}: no <name>_ham.txt / <name>_spam.txt files")
    out: dict[str, dict[str, object]] = {}
    for name in names:
        try:
            ham = [text for _, text in read_lines(folder / f"{name}_ham.txt", 0)]
            spam = [text for _, text in read_lines(folder / f"{name}_spam.txt", 1)]
        except DataError as exc:
            _fail(str(exc))
        flagged = [t for t in ham if detector.detect(MessageFacts.from_text(t)).hit]
        missed = [t for t in spam if not detector.detect(MessageFacts.from_text(t)).hit]
        out[name] = {
            "honest": len(ham),
            "honest_flagged": round(len(flagged) / len(ham), 4) if ham else 0.0,
            "ads": len(spam),
            "ads_caught": round(1 - len(missed) / len(spam), 4) if spam else 0.0,
            "flagged": flagged,
            "missed": missed,
        }
    return out


def _report_lines(report: dict[str, object]) -> Iterator[str]:
    cv = report.get("cv")
    if isinstance(cv, dict):
        for n, fold in enumerate(cv["folds"], 1):
            yield f"fold {n}/{cv['k']} (threshold {fold['threshold']:.2f}): " + _figures_line(fold)
        yield "all folds pooled: " + _figures_line(cv["pooled"])
        yield "across folds: " + "  ".join(
            f"{name} {cv[name]['min']:.4f}–{cv[name]['max']:.4f} (mean {cv[name]['mean']:.4f})"
            for name in ("precision", "recall", "accuracy")
        )
    if "data" in report:
        yield _figures_line(report["data"])
    sets = report.get("sets")
    if isinstance(sets, dict):
        for name, figures in sets.items():
            yield (
                f"{name}: honest flagged {figures['honest_flagged']:.1%} of {figures['honest']}, "
                f"ads caught {figures['ads_caught']:.1%} of {figures['ads']}"
            )


def register(app: typer.Typer) -> None:
    """Add ``train-detector`` and ``eval-detector`` to the ``qunbot`` app."""
    app.command("train-detector")(train_detector)
    app.command("eval-detector")(eval_detector)
