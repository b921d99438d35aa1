"""`make run` serves on port 8000, or on the one PORT names (Makefile → honcho → Procfile.dev)."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _honcho_line(*make_args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(
        ["make", "-n", "-s", "run", *make_args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return next(line for line in dry_run.stdout.splitlines() if "honcho" in line)


def _web_command(port: int, tmp_path: Path) -> str:
    """The web process's command as honcho runs it from Procfile.dev (each command echoed, not run)."""
    procfile = tmp_path / "Procfile.echo"
    lines = (ROOT / "Procfile.dev").read_text().splitlines()
    procfile.write_text("\n".join(re.sub(r"^(\w+): ", r"\1: echo ", line) for line in lines if line.strip()) + "\n")
    env = {key: value for key, value in os.environ.items() if key != "PORT"}
    honcho = [sys.executable, "-m", "honcho", "-f", str(procfile), "-d", str(ROOT), "-e", os.devnull]
    result = subprocess.run(
        [*honcho, "start", "--port", str(port), "web"], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    return next(line for line in result.stdout.splitlines() if "runserver" in line)


def test_make_run_serves_on_8000_unless_port_says_otherwise(tmp_path):
    assert _honcho_line().endswith("--port 8000")
    assert _honcho_line("PORT=8123").endswith("--port 8123")
    assert "runserver 127.0.0.1:8123 " in _web_command(8123, tmp_path)


def test_the_procfile_alone_still_serves_on_8000():
    web = next(line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("web:"))
    result = subprocess.run(
        ["bash", "-c", f"echo {web.split(':', 1)[1]}"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        check=True,
    )
    assert "runserver 127.0.0.1:8000 " in result.stdout
