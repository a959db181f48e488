"""Charts drawn on the server as inline SVG (matplotlib's Figure API; pyplot is never imported,
so nothing global or GUI-bound runs in a web process).

Readable without colour: every series has its own hatch pattern as well as its colour, every bar
carries its value as a direct label, and the SVG has a text title for screen readers. A chart is
never the only copy of its figures: the page shows the same numbers in a table beside it. No
JavaScript is needed to read it.

    svg = bar_chart_svg(["2026-01", "2026-02"], [Series("Online", [200_000, 250_000])],
                        title="Revenue by month", value_label="VND")
    {{ svg }}   # Markup, safe to put in a template as it is
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import quoteattr

from markupsafe import Markup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Colour-blind-safe palette (Okabe-Ito) paired with hatches: the pattern alone tells series apart.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "oo", "--", "++")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int | float]


def thousands(value: float) -> str:
    """1020000 -> "1.020.000" (Vietnamese digit grouping), as the direct labels show it."""
    return f"{value:,.0f}".replace(",", ".")


def _matplotlib():
    """matplotlib, imported at the first chart (not when the app starts: with numpy it is about
    60 MB of a worker's memory, which a process that draws no chart, such as a streamed export,
    need not carry)."""
    # matplotlib writes its font cache under MPLCONFIGDIR; the home directory may not be writable.
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "ocop-matplotlib"))
    import matplotlib

    matplotlib.use("svg")  # the SVG backend only: no GUI toolkit is ever looked for
    return matplotlib


def _to_svg(figure: Figure, title: str) -> Markup:
    matplotlib = _matplotlib()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ocop-chart"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = svg.replace("<svg ", f'<svg role="img" aria-label={quoteattr(title)} class="chart" ', 1)
    return Markup(svg)


def bar_chart_svg(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    value_label: str = "",
    horizontal: bool = False,
    format_value: Callable[[float], str] = thousands,
    width_in: float = 7.5,
    height_in: float = 3.6,
) -> Markup:
    """Grouped bars, one group per category and one bar per series, each bar labelled with its
    value. `horizontal` suits long category names (provinces, products)."""
    _matplotlib()
    from matplotlib.figure import Figure

    # Constrained layout fits the labels in one drawing pass (bbox_inches="tight" draws twice).
    figure = Figure(figsize=(width_in, height_in), dpi=96, layout="constrained")
    axes = figure.add_subplot()
    count = max(len(series), 1)
    band = 0.8 / count
    positions = list(range(len(categories)))
    for index, one in enumerate(series):
        offsets = [p - 0.4 + band * (index + 0.5) for p in positions]
        draw = axes.barh if horizontal else axes.bar
        bars = draw(
            offsets,
            list(one.values),
            band,
            label=one.label,
            color=COLOURS[index % len(COLOURS)],
            hatch=HATCHES[index % len(HATCHES)],
            edgecolor="#222222",
            linewidth=0.6,
        )
        axes.bar_label(bars, labels=[format_value(v) if v else "" for v in one.values], fontsize=7, padding=2)
    if horizontal:
        axes.set_yticks(positions, list(categories))
        axes.invert_yaxis()
        axes.set_xlabel(value_label)
        axes.xaxis.set_major_formatter(lambda value, _pos: format_value(value))
    else:
        axes.set_xticks(positions, list(categories))
        axes.set_ylabel(value_label)
        axes.yaxis.set_major_formatter(lambda value, _pos: format_value(value))
    (axes.axvline if horizontal else axes.axhline)(0, color="#222222", linewidth=0.6)  # the zero line
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:
        # A fixed place: "best" tries every position against every bar and label (most of the
        # drawing time of a 34-province chart).
        axes.legend(fontsize=8, frameon=False, loc="lower right" if horizontal else "upper left")
    return _to_svg(figure, title)


@lru_cache(maxsize=256)
def _cached_bars(
    categories: tuple[str, ...],
    series: tuple[tuple[str, tuple[int | float, ...]], ...],
    options: tuple[tuple[str, object], ...],
) -> Markup:
    return bar_chart_svg(
        list(categories), [Series(label, list(values)) for label, values in series], **dict(options)
    )


def cached_bar_chart_svg(categories: Sequence[str], series: Sequence[Series], **options) -> Markup:
    """`bar_chart_svg`, drawn once per set of figures and options (drawing takes far longer than
    reading the figures; the key is the figures themselves, so a kept chart is never stale).
    Options must be hashable (`format_value` a module-level function)."""
    return _cached_bars(
        tuple(str(c) for c in categories),
        tuple((str(one.label), tuple(one.values)) for one in series),
        tuple(
            sorted(
                (key, str(value) if key in ("title", "value_label") else value)
                for key, value in options.items()
            )
        ),
    )
