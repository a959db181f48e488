"""The programme pages' charts, drawn by `charts.bar_chart_svg` (matplotlib, patterns and direct
labels) and embedded as `<img>` data URIs: the page's Content-Security-Policy forbids inline
styles, which an inline matplotlib SVG carries; as an image the SVG keeps its own. Every chart
stands beside a table holding the same numbers."""

from __future__ import annotations

import base64
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import gettext as _

from marketplace.reports import programme
from marketplace.reports.charts import Series, bar_chart_svg


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode("ascii")


@lru_cache(maxsize=256)
def _bars(
    categories: tuple[str, ...],
    series: tuple[tuple[str, tuple[int, ...]], ...],
    title: str,
    value_label: str,
    horizontal: bool,
    locale: str,
) -> str:
    """A chart as a data URI, drawn once per set of figures (drawing takes far longer than reading
    the figures; the key is the figures themselves, so a cached chart is never stale)."""
    height = max(2.5, 0.35 * len(categories)) if horizontal else 3.6
    svg = bar_chart_svg(
        list(categories),
        [Series(label, list(values)) for label, values in series],
        title=title,
        value_label=value_label,
        horizontal=horizontal,
        height_in=height,
    )
    return _data_uri(svg)


def _chart(categories, series, *, title: str, value_label: str = "", horizontal: bool = False) -> str:
    return _bars(
        tuple(categories),
        tuple((str(label), tuple(values)) for label, values in series),
        str(title),
        value_label,
        horizontal,
        str(get_locale()),
    )


def dashboard_charts(board: programme.Dashboard) -> dict[str, str]:
    charts = {
        "trend": _chart(
            [p.month for p in board.trend],
            [(_("Net sales"), [p.net_sales_vnd for p in board.trend])],
            title=_("Net sales on the platform by month"),
            value_label="VND",
        )
    }
    if board.by_province:
        charts["provinces"] = _chart(
            [r.label for r in board.by_province],
            [
                (_("Products 3★+"), [r.products_3plus for r in board.by_province]),
                (_("OCOP producers"), [r.ocop_producers for r in board.by_province]),
            ],
            title=_("Products and producers by province"),
            horizontal=True,
        )
    return charts


def public_charts(figures: programme.PublicFigures) -> dict[str, str]:
    """Only cells that are shown are drawn (a suppressed month is drawn as 0 and labelled "—" in
    the table)."""
    months = [m for m, _s, _n in figures.trend]
    values = [s.value or 0 for _m, s, _n in figures.trend]
    return {
        "trend": _chart(
            months,
            [(_("Net sales"), values)],
            title=_("Net sales on the platform by month"),
            value_label="VND",
        )
    }
