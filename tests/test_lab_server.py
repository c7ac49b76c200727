"""The command `make lab` runs (scripts/lab.sh): a student's own copy, a clean git status.

The tests run lab.sh in a scratch repository made from this working tree's files (tracked
and not ignored), so that git status there says what it would say in a fresh clone.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request

import nbformat
import pytest
from conftest import ROOT

TOKEN = "course-test-token"
AUTH = {"Authorization": f"token {TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def git(repo, *args) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path):
    """A git repository holding this tree's files, with .venv linked in as in a clone."""
    repo = tmp_path / "repo"
    files = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "course")
    return repo


def lab_env(tmp_path) -> dict:
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    env.pop("CASEKIT_COURSE_DIR", None)
    env.pop("INSTRUCTOR", None)
    return env


def start_lab(repo, tmp_path, port, **extra_env):
    args = [
        "bash", str(repo / "scripts" / "lab.sh"), "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}", "--ServerApp.password=",
    ]
    with open(tmp_path / "lab.log", "wb") as log:  # the server keeps its own copy of the handle
        return subprocess.Popen(args, env={**lab_env(tmp_path), **extra_env}, stdout=log,
                                stderr=subprocess.STDOUT)


def wait_for_status(port, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            return json.loads(get(port, "/api/status"))
        except OSError:
            time.sleep(0.5)
    return None


def stop(process):
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def get(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=AUTH)
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.read().decode()


@pytest.mark.slow
def test_make_lab_serves_a_copy_and_git_stays_clean(repo, tmp_path):
    port = free_port()
    process = start_lab(repo, tmp_path, port)
    try:
        status = wait_for_status(port, process)
        log = (tmp_path / "lab.log").read_text(errors="replace")
        assert status is not None, f"JupyterLab did not answer /api/status:\n{log[-3000:]}"
        course = repo / "my-course"
        assert f"Serving notebooks from local directory: {course}" in log
        names = {item["name"] for item in json.loads(get(port, "/api/contents"))["content"]}
        assert {"00-start-here.ipynb", "cases"} <= names

        # What JupyterLab's autosave does: PUT the notebook back, here with a new cell.
        model = json.loads(get(port, "/api/contents/00-start-here.ipynb"))
        notebook = model["content"]
        notebook["cells"].append(nbformat.v4.new_markdown_cell("my notes"))
        body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/contents/00-start-here.ipynb", data=body,
            method="PUT", headers={"Content-Type": "application/json", **AUTH})
        with urllib.request.urlopen(request, timeout=10) as r:
            assert r.status == 200
        saved = nbformat.read(course / "00-start-here.ipynb", as_version=4)
        assert saved.cells[-1].source == "my notes"
        assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""

        # The student lands on the page that offers both editions, without news or
        # nbgrader's menus and panels; Markdown opens rendered.
        home = urllib.request.Request(f"http://127.0.0.1:{port}/", headers=AUTH)
        with urllib.request.urlopen(home, timeout=10) as r:
            assert r.url.endswith("/lab/tree/README.md")
        # The URL the student copies from the terminal carries the token and the page
        # (JupyterLab prints a token it did not make up itself as "...").
        log = (tmp_path / "lab.log").read_text(errors="replace")
        assert f"http://127.0.0.1:{port}/lab/tree/README.md?token=" in log
        viewers = "/lab/api/settings/@jupyterlab/docmanager-extension:plugin"
        viewers = json.loads(get(port, viewers))["schema"]["properties"]["defaultViewers"]
        assert viewers["default"] == {"markdown": "Markdown Preview"}
        page = get(port, "/lab")
        config = json.loads(page.split('id="jupyter-config-data" type="application/json">')[1]
                            .split("</script>")[0])
        assert "@jupyter/nbgrader" in config["disabledExtensions"]
        with pytest.raises(urllib.error.HTTPError, match="404"):
            get(port, "/formgrader")
        news = "/lab/api/settings/@jupyterlab/apputils-extension:notification"
        news = json.loads(get(port, news))
        assert news["schema"]["properties"]["fetchNews"]["default"] == "false"
        # Widget state is saved with the notebook, so a reopened notebook shows its widgets
        # instead of "Error displaying widget: model not found".
        widgets = "/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin"
        widgets = json.loads(get(port, widgets))
        assert widgets["schema"]["properties"]["saveState"]["default"] is True
    finally:
        stop(process)


def run_lab_help(repo, tmp_path, **extra_env) -> str:
    """lab.sh up to JupyterLab, which --help makes print its help and exit."""
    done = subprocess.run(["bash", str(repo / "scripts" / "lab.sh"), "--help"],
                          env={**lab_env(tmp_path), **extra_env}, capture_output=True,
                          text=True, check=True, timeout=120)
    return done.stdout


def test_an_update_reaches_the_student_without_a_conflict(repo, tmp_path):
    first = run_lab_help(repo, tmp_path)
    assert f"making your own copy of the course in {repo / 'my-course'}" in first
    mine = repo / "my-course" / "01-crm-overview.ipynb"
    mine.write_text(mine.read_text() + "\n", encoding="utf-8")  # the student's work

    # The course changes one notebook and adds another; the student pulls.
    committed = repo / "notebooks" / "01-crm-overview.ipynb"
    committed.write_text(committed.read_text().replace("CRM", "Customer relationship", 1))
    shutil.copy(repo / "notebooks" / "00-start-here.ipynb", repo / "notebooks" / "08-new.ipynb")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "update")
    assert git(repo, "status", "--porcelain") == ""

    second = run_lab_help(repo, tmp_path)
    assert "making your own copy" not in second
    assert "newer version of these notebooks" in second and "  01-crm-overview.ipynb" in second
    assert mine.read_text().endswith("\n\n")  # kept as the student left it
    assert (repo / "my-course" / "08-new.ipynb").exists()  # the new one arrived

    # The README's way to the newest version: delete (or rename) the copy, run make lab.
    mine.unlink()
    third = run_lab_help(repo, tmp_path)
    assert "newer version" not in third
    assert mine.read_text() == committed.read_text()
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_instructor_lab_serves_the_repository(repo, tmp_path):
    out = run_lab_help(repo, tmp_path, INSTRUCTOR="1")
    assert "instructor mode" in out
    assert not (repo / "my-course").exists()


def markdown_links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)#\s]+)\)", text)


def test_the_landing_page_offers_both_editions(repo, tmp_path):
    run_lab_help(repo, tmp_path)
    course = repo / "my-course"
    landing = (course / "README.md").read_text(encoding="utf-8")
    assert "English" in landing and "中文" in landing
    links = markdown_links(landing)
    assert "00-start-here.ipynb" in links and "zh/00-start-here.ipynb" in links
    assert "glossary.md" in links
    for link in links:
        assert (course / link).is_file(), f"the landing page links {link}, not in the copy"
    # Every notebook and document of both editions is in the copy.
    for edition, prefix in (("notebooks", ""), ("notebooks-zh", "zh/")):
        for source in (repo / edition).rglob("*"):
            if source.suffix in (".ipynb", ".md"):
                name = prefix + source.relative_to(repo / edition).as_posix()
                assert (course / name).is_file(), f"{name} was not copied"
    # The Chinese edition's links to English files (../notebooks/x) still work in zh/.
    for copy in (course / "zh").rglob("*"):
        if copy.suffix not in (".ipynb", ".md"):
            continue
        text = copy.read_text(encoding="utf-8")
        assert "../notebooks/" not in text, copy
        for link in markdown_links(text.replace("\\n", "\n")):
            if link.startswith(("http:", "https:", "mailto:")) or "://" in link:
                continue
            assert (copy.parent / link).resolve().is_file(), f"{copy.name} links {link}"
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_changed_chinese_notebook_keeps_the_students_copy(repo, tmp_path):
    run_lab_help(repo, tmp_path)
    mine = repo / "my-course" / "zh" / "00-start-here.ipynb"
    mine.write_text(mine.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    committed = repo / "notebooks-zh" / "00-start-here.ipynb"
    committed.write_text(committed.read_text(encoding="utf-8").replace("客户", "顾客", 1),
                         encoding="utf-8")
    out = run_lab_help(repo, tmp_path)
    assert "  zh/00-start-here.ipynb" in out
    assert mine.read_text(encoding="utf-8").endswith("\n\n")
