"""Headless Chromium and poppler as the browser tests drive them: print to PDF, screenshot,
read a PDF's pages and text, and which characters the page font lacks (tofu)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

#: Flags for a quiet, reproducible headless run: no sandbox (CI containers run as root), no
#: GPU, no network chatter, updates or sync, no first-run pages.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
)
#: A4 at 96 CSS pixels per inch.
A4_PX = (794, 1123)
#: The page's first font family (notice.css): every character must be in it.
PAGE_FONT = "Noto Sans CJK SC"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed: run `make test-browser`, which installs it"
    return found


def _run(*args: str) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            check=True,
            capture_output=True,
            timeout=120,
        )


def print_pdf(page: Path, pdf: Path) -> None:
    _run("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())


def screenshot(page: Path, png: Path, *, height: int) -> None:
    _run(f"--window-size={A4_PX[0] + 40},{height}", f"--screenshot={png}", page.as_uri())


def pdf_pages(pdf: Path) -> tuple[int, str]:
    """(pages, page size) as pdfinfo reports them."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)  # type: ignore[union-attr]
    return pages, size


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def font_charset(family: str) -> set[int]:
    """The code points a font family covers, from fontconfig (fc-list's charset ranges)."""
    out = subprocess.run(
        ["fc-list", "--format", "%{charset}\n", f"{family}:style=Regular"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert out.strip(), f"font {family!r} is not installed (Debian: fonts-noto-cjk)"
    covered: set[int] = set()
    for part in out.split():
        low, _, high = part.partition("-")
        covered.update(range(int(low, 16), int(high or low, 16) + 1))
    return covered


def missing_glyphs(text: str, family: str = PAGE_FONT) -> set[str]:
    """Characters of ``text`` the page font cannot draw (they would fall back, or be tofu)."""
    covered = font_charset(family)
    return {char for char in text if not char.isspace() and ord(char) not in covered}
