"""Reading PDFs back the way a person would check them: their text (pdftotext) and fonts (pdffonts)."""

import shutil
import subprocess
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils)")
    return path


def pdf_text(pdf: bytes, tmp_path: Path, *, first: int | None = None, last: int | None = None) -> str:
    source = tmp_path / "read.pdf"
    source.write_bytes(pdf)
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    result = subprocess.run(
        [_tool("pdftotext"), "-layout", *pages, str(source), "-"], capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    return pdf_text(pdf, tmp_path).split("\f")[:-1]


def embedded_cjk_fonts(pdf: bytes, tmp_path: Path) -> list[str]:
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    result = subprocess.run([_tool("pdffonts"), str(source)], capture_output=True, check=True, timeout=60)
    rows = result.stdout.decode().splitlines()[2:]
    # name, type..., emb, sub, uni, object, id: the flags are the fifth-to-last to third-to-last words.
    return [row.split()[0] for row in rows if "CJK" in row and row.split()[-5] == "yes"]
