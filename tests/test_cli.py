"""The ``casekit`` command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import casekit
from casekit import _cases, cli
from casekit._specs import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent


def _run(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list(capsys):
    status, out, _ = _run(capsys, "list")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == casekit.list_cases()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_generate_writes_every_frame(capsys, tmp_path, fmt):
    status, out, err = _run(capsys, "generate", "catering", "--customers", "80", "--seed", "3",
                            "--format", fmt, "--out", str(tmp_path), "--dirty")
    assert status == 0, err
    case = casekit.generate_case("catering", n_customers=80, seed=3, dirty=True)
    expected = {f"{t}.{fmt}" for t in _cases.case_frames(case)} | {"card.md", "population.json"}
    assert {p.name for p in tmp_path.iterdir()} == expected | {_cases.CONTENTS}
    listing = json.loads((tmp_path / _cases.CONTENTS).read_text())
    assert set(listing["files"]) == expected and listing["seed"] == 3
    assert _cases.changed_files(tmp_path, listing["files"]) == []
    assert "wrote" in out
    if fmt == "parquet":
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "visits.parquet"), case.visits)
    else:
        back = pd.read_csv(tmp_path / "visits.csv", parse_dates=["date"])
        assert back["order_id"].tolist() == case.visits["order_id"].tolist()
        assert back["amount"].tolist() == case.visits["amount"].tolist()
    assert (tmp_path / "card.md").read_text(encoding="utf-8") == case.card
    assert json.loads((tmp_path / "population.json").read_text())["model"] == "Pareto/NBD"


def test_generate_market_and_locale(capsys, tmp_path):
    status, _, err = _run(capsys, "generate", "utility", "--customers", "40", "--seed", "1",
                          "--locale", "zh_CN", "--market", "regulated", "--out", str(tmp_path))
    assert status == 0, err
    assert json.loads((tmp_path / "population.json").read_text())["market"] == "regulated"
    assert "CNY" in (tmp_path / "card.md").read_text(encoding="utf-8")


def test_existing_files_need_overwrite(capsys, tmp_path):
    args = ["generate", "catering", "--customers", "30", "--seed", "1", "--out", str(tmp_path)]
    assert _run(capsys, *args)[0] == 0
    before = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    status, _, err = _run(capsys, *args)
    assert status == 2
    assert "files already exist" in err and "--overwrite" in err
    assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before
    assert _run(capsys, *args, "--overwrite")[0] == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["generate", "bank", "--customers", "5", "--seed", "1"],
         "unknown case 'bank'; choose one of ['office_supplies'"),
        (["generate", "catering", "--customers", "0", "--seed", "1"],
         "--customers must be a positive integer; found '0'"),
        (["generate", "catering", "--customers", "ten", "--seed", "1"],
         "--customers must be a positive integer; found 'ten'"),
        (["generate", "catering", "--customers", "5", "--seed", "1.5"],
         "--seed must be a non-negative integer; found '1.5'"),
        (["generate", "catering", "--customers", "5", "--seed", "-3"],
         "--seed must be a non-negative integer; found '-3'"),
        (["generate", "catering", "--customers", "5", "--seed", "1", "--locale", "de_DE"],
         "locale must be one of ['en_US', 'zh_CN']; found 'de_DE'"),
        (["generate", "catering", "--customers", "5", "--seed", "1", "--format", "xlsx"],
         "--format must be one of ['csv', 'parquet', 'duckdb']; found 'xlsx'"),
        (["generate", "utility", "--customers", "5", "--seed", "1", "--market", "free"],
         "market must be one of ['deregulated', 'regulated']; found 'free'"),
        (["generate", "catering", "--customers", "5", "--seed", "1", "--market", "free"],
         "--market is for utility only; the catering case has no options"),
    ],
)
def test_bad_input_is_reported_in_one_line(capsys, tmp_path, argv, message):
    status, _, err = _run(capsys, *argv, "--out", str(tmp_path / "out"))
    assert status == 2
    assert err.startswith("casekit: error: ")
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"casekit {casekit.__version__}\n"


def test_generate_defaults_to_the_course_size_and_seed(capsys, tmp_path, monkeypatch):
    calls = {}
    real = cli.stream_case

    def small(name, **kwargs):  # the defaults reach the generator, which makes a small case
        calls.update(kwargs)
        return real(name, **{**kwargs, "n_customers": 20})

    monkeypatch.setattr(cli, "stream_case", small)
    status, out, err = _run(capsys, "generate", "utility", "--out", str(tmp_path))
    assert status == 0, err
    assert calls["n_customers"] == DEFAULTS["utility"]["n_customers"]
    assert calls["seed"] == DEFAULTS["utility"]["seed"]
    assert f"(4,000 customers, seed {DEFAULTS['utility']['seed']}) to {tmp_path.resolve()}" in out


def test_help_states_the_defaults():
    (generate,) = [a for a in cli._parser()._subparsers._group_actions[0].choices.items()
                   if a[0] == "generate"]
    text = generate[1].format_help()
    assert "default: the course's size: office_supplies 4,000" in " ".join(text.split())


@pytest.mark.parametrize("name", ["utility", "insurance"])
def test_progress_follows_the_simulation(name):
    labels = []
    case = _cases._generate(name, n_customers=30, seed=1, locale="en_US", dirty=True,
                            options={}, progress=labels.append, block_size=8)
    assert labels == [8, 16, 24, 30]  # the customers simulated after each block
    # reporting progress draws nothing from the random stream, and blocks change nothing
    same = casekit.generate_case(name, n_customers=30, seed=1, dirty=True)
    for table, frame in same.tables.items():
        pd.testing.assert_frame_equal(case.tables[table], frame)


def test_datasets_help_and_message_say_where_the_data_go(capsys, tmp_path, monkeypatch):
    inside = cli._data_folder()
    assert inside == "datasets/ in the repository"
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: tmp_path / "site-packages" / "x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    outside = cli._data_folder()
    assert outside.startswith(f"the user cache {tmp_path / 'cache'}")
    assert "outside the repository" in outside
    (datasets,) = [a for a in cli._parser()._subparsers._group_actions[0].choices.items()
                   if a[0] == "datasets"]
    assert outside in datasets[1].description  # argparse wraps it at the path's hyphens
    status, _, err = _run(capsys, "datasets", "--check")
    assert status == 2 and "site-packages" not in err


def test_unwritable_output_folder(capsys, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    status, _, err = _run(capsys, "generate", "catering", "--customers", "5", "--seed", "1",
                          "--out", str(tmp_path / "file.txt" / "sub"))
    assert status == 2
    assert "cannot write to" in err and "file.txt" in err


def test_python_dash_m_and_entry_point(tmp_path):
    done = subprocess.run([sys.executable, "-m", "casekit", "list"], capture_output=True,
                          text=True, check=True)
    assert done.stdout.split()[0] == "office_supplies"
    script = Path(sys.executable).with_name("casekit")
    if script.exists():
        done = subprocess.run([str(script), "generate", "insurance", "--customers", "20",
                               "--seed", "2", "--out", str(tmp_path)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "premiums.csv").is_file()


def test_datasets_check_against_the_manifest(capsys):
    status, out, err = _run(capsys, "datasets", "--check")
    assert status == 0, err
    for name in casekit.list_cases():
        assert f"{name}: " in out and "matches the manifest" in out
    assert (ROOT / "datasets" / "office_supplies" / "orders.csv").is_file()


def test_datasets_check_reports_a_mismatch(capsys, tmp_path, monkeypatch):
    repo = tmp_path / "datasets"
    repo.mkdir()
    manifest = {"casekit_version": casekit.__version__, "cases": {}}
    for name in casekit.list_cases():
        manifest["cases"][name] = {"n_customers": 20, "seed": 1, "locale": "en_US",
                                   "options": {}, "tables": {}}
    manifest["cases"]["utility"]["options"] = {"market": "deregulated"}
    manifest["cases"]["catering"]["tables"] = {"visits": {"rows": 1, "sha256": "0" * 64}}
    (repo / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: repo)
    with pytest.warns(UserWarning, match="differs from datasets/manifest.json"):
        status, out, _ = _run(capsys, "datasets", "--check")
    assert status == 1
    assert "catering: " in out and "DIFFERS: visits.parquet differs from the manifest" in out


def test_datasets_check_needs_a_manifest(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: tmp_path / "none")
    status, _, err = _run(capsys, "datasets", "--check")
    assert status == 2
    assert "--check needs the repository's datasets/manifest.json" in err
    assert str(tmp_path) not in err


def _help(capsys, monkeypatch, env, *argv):
    for key in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv(*env)
    with pytest.raises(SystemExit) as done:
        cli.main(list(argv))
    assert done.value.code == 0
    return capsys.readouterr().out


def test_help_in_chinese_with_lang_or_the_environment(capsys, monkeypatch):
    english = _help(capsys, monkeypatch, ("LANG", "C.UTF-8"), "--help")
    assert english.startswith("usage: casekit") and "Synthetic CRM cases" in english
    chinese = _help(capsys, monkeypatch, ("LANG", "C.UTF-8"), "--lang", "zh", "--help")
    assert chinese.startswith("用法：casekit")
    assert "带真实值的合成 CRM 案例数据。" in chinese and "显示此帮助信息并退出" in chinese
    assert "Synthetic" not in chinese
    generate = _help(capsys, monkeypatch, ("LANGUAGE", "zh_CN:en"), "generate", "--help")
    assert "输出文件夹" in generate and "客户数量" in generate
    # --lang wins over the environment
    assert _help(capsys, monkeypatch, ("LANG", "zh_CN.UTF-8"), "--lang=en", "--help") == english
    # the help leaves casekit's language as it was
    assert casekit.get_language() == "en"


def test_errors_stay_english_in_chinese(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    status, _, err = _run(capsys, "--lang", "zh", "generate", "nope", "--out", "x")
    assert status == 2
    assert err.startswith("casekit: error: unknown case 'nope'; choose one of")
