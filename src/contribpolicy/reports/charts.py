"""Progress charts (matplotlib, PNG and SVG): villages against their targets, the furthest
behind at the top; and the subdistrict's people paid day by day over the window.

Village names are Chinese whatever the language, so a CJK font is required: the Noto Sans CJK
collection the ``charts`` extra installs from PyPI (noto-cjk-sans-otc), so a machine with only
Python draws the same charts, or an installed one (Debian's fonts-noto-cjk, WenQuanYi). Without
one the chart would print empty boxes (tofu), so it is refused with ``FontMissingError`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from contribpolicy.errors import ContribPolicyError
from contribpolicy.reports._extras import needs
from contribpolicy.reports._text import labels
from contribpolicy.reports.progress import Progress, VillageProgress
from contribpolicy.reports.progress_out import behind_first
from contribpolicy.support.atomic import atomic_path

__all__ = ["CJK_FONTS", "FontMissingError", "cjk_font", "write_charts"]

#: Font families tried in order.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Source Han Sans SC",
)
_FORMATS = (".png", ".svg")


class FontMissingError(ContribPolicyError, LookupError):
    """No CJK font is installed: charts would show empty boxes for Chinese text."""


def cjk_font() -> str:
    """The first family of ``CJK_FONTS`` that is installed, or that the ``charts`` extra's font
    package brings (added to matplotlib's fonts the first time it is needed)."""
    font_manager = needs("matplotlib.font_manager", "the progress charts")
    family = _first_installed(font_manager)
    if family is None and _add_packaged_font(font_manager):
        family = _first_installed(font_manager)
    if family is None:
        raise FontMissingError(
            "no CJK font found for the charts; install the charts extra "
            "(pip install 'contribpolicy[charts]') or a system font, e.g. apt-get install "
            f"fonts-noto-cjk (tried: {', '.join(CJK_FONTS)})"
        )
    return family


def _first_installed(font_manager: Any) -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FONTS if family in installed), None)


def _add_packaged_font(font_manager: Any) -> bool:
    """Add the Noto Sans CJK collection of the noto-cjk-sans-otc package, if it is installed."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return False
    font_manager.fontManager.addfont(str(FONT_PATH))
    return True


def write_charts(progress: Progress, stem: str | Path, language: str = "zh") -> list[Path]:
    """``STEM-targets.png/.svg`` and, when payments carry dates, ``STEM-daily.png/.svg``."""
    needs("matplotlib", "the progress charts").use("Agg")
    pyplot = needs("matplotlib.pyplot", "the progress charts")
    family = cjk_font()
    written: list[Path] = []
    with pyplot.rc_context({"font.family": family, "svg.fonttype": "path", "svg.hashsalt": "0"}):
        figures = {"targets": _targets_figure(pyplot, progress, language)}
        if progress.daily:
            figures["daily"] = _daily_figure(pyplot, progress, language)
        for name, figure in figures.items():
            for suffix in _FORMATS:
                path = Path(f"{stem}-{name}{suffix}")
                with atomic_path(path) as temporary:
                    metadata = {"Date": None} if suffix == ".svg" else {"Software": None}
                    figure.savefig(temporary, format=suffix[1:], dpi=110, metadata=metadata)
                written.append(path)
            pyplot.close(figure)
    return written


def _targets_figure(pyplot: Any, progress: Progress, language: str) -> Any:
    """One panel per target: each village's rate as a bar, the target as a line."""
    words = labels(language)
    villages = [v for v in progress.villages if v.on_roster or v.rates]
    count = len(progress.total.rates)
    height = max(3.0, 0.24 * len(villages) + 1.6)
    figure, axes = pyplot.subplots(1, count, figsize=(5.2 * count, height), squeeze=False)
    for index, axis in enumerate(axes[0]):
        _target_panel(axis, villages, index, words)
    title = f"{words['progress']} {words['as_of'].format(date=progress.day)}"
    figure.suptitle(title, fontsize=13)
    figure.tight_layout()
    return figure


def _target_panel(axis: Any, villages: Sequence[VillageProgress], index: int, words: Any) -> None:
    ordered = [v for v in behind_first_on(villages, index) if v.rates[index].due > 0]
    target = ordered[0].rates[index].target if ordered else None
    rates = [float(v.rates[index].rate or 0) * 100 for v in ordered]
    names = [v.village for v in ordered]
    met = [v.rates[index].short == 0 for v in ordered]
    bars = axis.barh(names, rates, color=["#4c9a5b" if ok else "#c8553d" for ok in met])
    axis.bar_label(bars, labels=[f"{rate:.1f}" for rate in rates], fontsize=7, padding=2)
    axis.invert_yaxis()
    if target is not None:
        axis.axvline(float(target.rate) * 100, color="#222", linestyle="--", linewidth=1)
        axis.set_title(target.label, fontsize=10)
    axis.set_xlabel(f"{words['rate']} (%)")
    axis.set_xlim(0, 112)
    axis.tick_params(axis="y", labelsize=8)


def behind_first_on(villages: Sequence[VillageProgress], index: int) -> list[VillageProgress]:
    """Villages by the gap to target ``index`` (largest first), then the lowest rate first:
    among villages that met it, the one closest to falling below leads."""
    if index == 0:
        return behind_first(villages)
    return sorted(
        villages, key=lambda v: (-v.rates[index].gap, v.rates[index].rate or 0, v.village)
    )


def _daily_figure(pyplot: Any, progress: Progress, language: str) -> Any:
    words = labels(language)
    figure, axis = pyplot.subplots(figsize=(9, 4.5))
    days = [count.day for count in progress.daily]
    schemes = [scheme for scheme, _ in progress.daily[0].paid]
    for position, scheme in enumerate(schemes):
        values = [count.paid[position][1] for count in progress.daily]
        axis.plot(days, values, label=words.get(scheme, scheme))
    axis.set_title(f"{words['daily']} {words['as_of'].format(date=progress.day)}")
    axis.set_xlabel(words["day"])
    axis.set_ylabel(words["people"])
    axis.legend(loc="upper left", fontsize=9)
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure
