"""The command `make lab` runs really starts JupyterLab (scripts/lab.sh)."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest
from conftest import ROOT

LAB = ROOT / "scripts" / "lab.sh"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(tmp_path, port):
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    args = [
        "bash", str(LAB), "--no-browser", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
    ]
    with open(tmp_path / "lab.log", "wb") as log:  # the server keeps its own copy of the handle
        return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_status(port, process, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return None
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2) as r:
                return json.load(r)
        except OSError:
            time.sleep(0.5)
    return None


@pytest.mark.slow
def test_make_lab_command_starts_jupyterlab(tmp_path):
    port = free_port()
    process = start_lab(tmp_path, port)
    try:
        status = wait_for_status(port, process)
        log = (tmp_path / "lab.log").read_text(errors="replace")
        assert status is not None, f"JupyterLab did not answer /api/status:\n{log[-3000:]}"
        assert "started" in status
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents", timeout=5) as r:
            names = {item["name"] for item in json.load(r)["content"]}
        assert "00-start-here.ipynb" in names  # it serves the course notebooks
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode is not None
