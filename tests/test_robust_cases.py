"""Dataset folders survive kills, full disks and damage: complete and of one seed, or marked.

The kill tests run a real ``casekit`` process, stop it with SIGKILL at a chosen
point (the environment variable ``CASEKIT_TEST_PAUSE`` makes it wait there),
and check what the next run finds and leaves.
"""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import casekit
from casekit import _cases, cli

ROOT = Path(__file__).resolve().parent.parent
SMALL = {"n_customers": 30, "seed": 3, "locale": "en_US", "options": {}}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _env(**extra):
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _start_and_kill(args, point, tmp_path):
    """Run ``args`` until it pauses at ``point``, then kill it with SIGKILL."""
    log = tmp_path / f"stderr-{point}.txt"
    with open(log, "w") as stderr:
        process = subprocess.Popen(args, env=_env(CASEKIT_TEST_PAUSE=point),
                                   stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            for _ in range(1200):
                if f"casekit paused at {point}" in log.read_text():
                    break
                if process.poll() is not None:
                    pytest.fail(f"the writer ended before {point}: {log.read_text()}")
                time.sleep(0.1)
            else:
                pytest.fail(f"the writer never reached {point}")
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
    assert process.returncode == -signal.SIGKILL


def _generate(out, seed, *extra, pause=None, tmp_path=None):
    args = [sys.executable, "-m", "casekit", "generate", "catering", "--customers", "40",
            "--seed", str(seed), "--out", str(out), "--format", "parquet", *extra]
    if pause:
        _start_and_kill(args, pause, tmp_path)
        return None
    return subprocess.run(args, env=_env(), capture_output=True, text=True, check=True)


def _listing_holds(out: Path, seed: int) -> None:
    listing = json.loads((out / _cases.CONTENTS).read_text())
    assert listing["seed"] == seed
    assert not (out / _cases.INCOMPLETE).exists()
    assert _cases.changed_files(out, listing["files"]) == []
    expected = casekit.generate_case("catering", n_customers=40, seed=seed)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "visits.parquet"), expected.visits)


def test_kill_during_the_write_leaves_nothing_and_the_next_run_cleans_up(tmp_path):
    out = tmp_path / "out"
    _generate(out, 1, pause="write", tmp_path=tmp_path)
    leftovers = list(out.glob(".casekit-tmp-*"))
    assert leftovers and not (out / "visits.parquet").exists()
    _generate(out, 1)
    assert not list(out.glob(".casekit-tmp-*"))
    _listing_holds(out, 1)


def test_kill_during_the_renames_marks_the_folder_and_overwrite_repairs_it(tmp_path):
    out = tmp_path / "out"
    _generate(out, 1)
    _generate(out, 2, "--overwrite", pause="rename", tmp_path=tmp_path)
    # one file of seed 2 is in place, the rest still of seed 1: the marker says so
    assert "stopped" in (out / _cases.INCOMPLETE).read_text()
    assert not (out / _cases.CONTENTS).exists()
    _generate(out, 2, "--overwrite")
    _listing_holds(out, 2)
    assert not list(out.glob(".casekit-tmp-*"))


def test_overwrite_removes_files_of_the_earlier_write(tmp_path):
    out = tmp_path / "out"
    _generate(out, 1, "--dirty")
    assert (out / "records.parquet").is_file()
    _generate(out, 2, "--overwrite")
    assert not (out / "records.parquet").exists()  # seed 1's records would mix two seeds
    _listing_holds(out, 2)


def test_write_case_leaves_user_files_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "orders.parquet").write_text("not casekit's")
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    _cases.write_case(case, out, formats=("csv",))
    _cases.write_case(case, out, formats=("parquet",), overwrite=True)
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "orders.parquet").read_text() == "not casekit's"
    assert not (out / "visits.csv").exists() and (out / "visits.parquet").is_file()


def test_a_live_writers_temporary_folder_is_kept(tmp_path):
    live = tmp_path / f".casekit-tmp-{os.getpid()}-abc"
    dead = tmp_path / ".casekit-tmp-999999999-abc"
    old_style = tmp_path / ".casekit-tmp-x1y2z3"
    for folder in (live, dead, old_style):
        folder.mkdir()
    removed = _cases.clean_stale(tmp_path)
    assert sorted(removed) == sorted([dead, old_style]) and live.is_dir()


# --- the default datasets ----------------------------------------------------------------

@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A datasets/ folder with a small catering entry in its manifest."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    case = _cases._generate_default("catering", SMALL)
    tables = {t: {"rows": len(f), "sha256": _cases.content_hash(f)}
              for t, f in _cases.case_frames(case).items()}
    manifest = {"casekit_version": casekit.__version__,
                "cases": {"catering": {**SMALL, "tables": tables}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(_cases, "_repo_datasets", lambda: folder)
    return folder


def _fresh(repo):
    return casekit.load_case("catering", dirty=True)


def test_kill_of_load_case_during_the_renames_is_repaired(repo, tmp_path):
    script = ("import sys; from pathlib import Path; from casekit import _cases; "
              "_cases._repo_datasets = lambda: Path(sys.argv[1]); "
              "import casekit; casekit.load_case('catering')")
    _start_and_kill([sys.executable, "-c", script, str(repo)], "rename", tmp_path)
    folder = repo / "catering"
    assert (folder / _cases.INCOMPLETE).exists() and not (folder / "stamp.json").exists()
    with pytest.warns(UserWarning, match="left incomplete by a run that was stopped"):
        case = casekit.load_case("catering")
    assert not (folder / _cases.INCOMPLETE).exists()
    assert not list(folder.glob(".casekit-tmp-*"))
    expected = _cases._generate_default("catering", SMALL)
    pd.testing.assert_frame_equal(case.visits, expected.visits)


def test_the_repository_folder_keeps_one_card(repo):
    """datasets/<case>.md is the card; an older copy inside the data folder is removed."""
    _fresh(repo)
    folder = repo / "catering"
    assert not (folder / "card.md").exists()
    (folder / "card.md").write_text("an older card that still says seed 004")
    casekit.load_case("catering", dirty=True)
    assert not (folder / "card.md").exists()


@pytest.mark.parametrize("damage", ["", "{not json", "[1, 2]", '{"files": 5}', "\udcff"],
                         ids=["empty", "malformed", "a list", "wrong files", "not utf-8"])
def test_a_damaged_stamp_is_regenerated(repo, damage):
    first = _fresh(repo)
    stamp = repo / "catering" / "stamp.json"
    stamp.write_bytes(damage.encode("utf-8", "surrogateescape"))
    with pytest.warns(UserWarning, match="have a damaged stamp.json; generating them again"):
        again = casekit.load_case("catering", dirty=True)
    pd.testing.assert_frame_equal(again.records, first.records)
    assert json.loads(stamp.read_text())["files"]


def test_a_folder_where_the_stamp_should_be(repo):
    _fresh(repo)
    stamp = repo / "catering" / "stamp.json"
    stamp.unlink()
    (stamp / "inner").mkdir(parents=True)
    with pytest.warns(UserWarning, match="damaged stamp.json"):
        casekit.load_case("catering")
    assert stamp.is_file()


def test_a_folder_where_a_table_should_be(repo):
    first = _fresh(repo)
    table = repo / "catering" / "visits.parquet"
    table.unlink()
    (table / "part-0.parquet").mkdir(parents=True)
    with pytest.warns(UserWarning, match="do not match what casekit wrote"):
        again = casekit.load_case("catering")
    assert table.is_file()
    pd.testing.assert_frame_equal(again.visits, first.visits)


def test_a_stray_corrupt_parquet_file_is_ignored(repo, recwarn):
    first = _fresh(repo)
    (repo / "catering" / "copy of visits.parquet").write_bytes(b"PAR1 broken")
    again = casekit.load_case("catering")
    pd.testing.assert_frame_equal(again.visits, first.visits)
    assert not [w for w in recwarn if "generating" in str(w.message)]


def test_a_corrupt_listed_parquet_file_is_regenerated(repo):
    first = _fresh(repo)
    (repo / "catering" / "truth.parquet").write_bytes(b"PAR1 broken PAR1")
    with pytest.warns(UserWarning, match="do not match what casekit wrote"):
        again = casekit.load_case("catering")
    pd.testing.assert_frame_equal(again.truth, first.truth)


def test_a_full_disk_gives_a_clear_error_and_no_partial_files(repo, monkeypatch):
    written = []

    def full(frame, path, fmt):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path)
        path.write_bytes(b"half")

    monkeypatch.setattr(_cases, "write_frame", full)
    with pytest.raises(OSError, match=r"load_case: cannot write the files to .*catering.*: "
                                      r"No space left on device; free some disk space"):
        casekit.load_case("catering")
    folder = repo / "catering"
    assert sorted(p.name for p in folder.iterdir()) == []
    monkeypatch.undo()


def test_write_case_full_disk_keeps_the_earlier_files(tmp_path, monkeypatch):
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    _cases.write_case(case, tmp_path, formats=("csv",))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_cases, "write_frame", full)
    other = casekit.generate_case("catering", n_customers=20, seed=2)
    with pytest.raises(OSError, match="write_case: cannot write the files to .*; free some "
                                      "disk space and try again; nothing was changed"):
        _cases.write_case(other, tmp_path, formats=("csv",), overwrite=True)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_write_case_refuses_a_folder_in_the_way(tmp_path):
    (tmp_path / "visits.csv").mkdir()
    case = casekit.generate_case("catering", n_customers=20, seed=1)
    with pytest.raises(IsADirectoryError, match=r"write_case: \['visits.csv'\] in .* are "
                                                r"folders where casekit writes files"):
        _cases.write_case(case, tmp_path, formats=("csv",), overwrite=True)


# --- casekit datasets --check reads the CSV copies too -----------------------------------

def _datasets(capsys, *args):
    status = cli.main(["datasets", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def one_case(repo, monkeypatch):
    monkeypatch.setattr(_cases, "list_cases", lambda: ["catering"])
    _fresh(repo)
    return repo / "catering"


def test_check_passes_on_an_intact_folder(capsys, one_case):
    status, out, _ = _datasets(capsys, "--check")
    assert status == 0 and "catering: " in out and "matches the manifest" in out


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(p.read_bytes()[:200]),
         "visits.csv was changed or truncated after it was written"),
        (lambda p: p.unlink(), "visits.csv is missing"),
    ],
    ids=["truncated", "deleted"],
)
def test_check_finds_a_damaged_csv_and_plain_datasets_repairs_it(capsys, one_case, damage,
                                                                message):
    damage(one_case / "visits.csv")
    status, out, err = _datasets(capsys, "--check")
    assert status == 1 and f"DIFFERS: {message}" in out
    assert "run `casekit datasets` (without --check)" in err
    with pytest.warns(UserWarning, match="do not match what casekit wrote"):
        status, out, _ = _datasets(capsys)
    assert status == 0
    status, out, _ = _datasets(capsys, "--check")
    assert status == 0 and "matches the manifest" in out


def test_a_stamp_of_an_older_casekit_is_written_again(capsys, one_case, recwarn):
    stamp = json.loads((one_case / "stamp.json").read_text())
    del stamp["csv"]  # as older versions wrote it
    (one_case / "stamp.json").write_text(json.dumps(stamp))
    status, out, _ = _datasets(capsys, "--check")
    assert status == 0 and "matches the manifest" in out
    assert json.loads((one_case / "stamp.json").read_text())["csv"]
    assert not [w for w in recwarn if "generating" in str(w.message)]


def test_check_reports_a_stamp_listing_no_csv(capsys, one_case, monkeypatch):
    real = _cases.ensure_default

    def forget_csv(name, **kwargs):
        folder, params = real(name, **kwargs)
        stamp = json.loads((folder / "stamp.json").read_text())
        stamp["csv"].pop("visits.csv")
        (folder / "stamp.json").write_text(json.dumps(stamp))
        return folder, params

    monkeypatch.setattr(_cases, "ensure_default", forget_csv)
    status, out, _ = _datasets(capsys, "--check")
    assert status == 1 and "stamp.json has no digest of the CSV copies of ['visits']" in out


def test_another_locale_is_written_again_when_the_generator_changes(repo):
    casekit.load_case("catering", locale="zh_CN")
    folder = repo / "catering-zh_CN"
    stamp = json.loads((folder / "stamp.json").read_text())
    # A new generator comes with a new manifest: the default locale's hashes change.
    manifest = json.loads((repo / "manifest.json").read_text())
    manifest["cases"]["catering"]["tables"]["members"]["sha256"] = "0" * 64
    (repo / "manifest.json").write_text(json.dumps(manifest))
    casekit.load_case("catering", locale="zh_CN")
    assert json.loads((folder / "stamp.json").read_text())["manifest"] != stamp["manifest"]
