"""The programme pages' charts, drawn by `charts.bar_chart_svg` (matplotlib, patterns and direct
labels) and embedded as `<img>` data URIs: the page's Content-Security-Policy forbids inline
styles, which an inline matplotlib SVG carries; as an image the SVG keeps its own. Every chart
stands beside a table holding the same numbers."""
from __future__ import annotations

import base64

from flask_babel import gettext as _

from marketplace.reports import programme
from marketplace.reports.charts import Series, bar_chart_svg


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode("ascii")


def dashboard_charts(board: programme.Dashboard) -> dict[str, str]:
    trend = bar_chart_svg([p.month for p in board.trend],
                          [Series(_("Net sales"), [p.net_sales_vnd for p in board.trend])],
                          title=_("Net sales on the platform by month"), value_label="VND")
    charts = {"trend": _data_uri(trend)}
    if board.by_province:
        provinces = bar_chart_svg([r.label for r in board.by_province],
                                  [Series(_("Products 3★+"), [r.products_3plus for r in board.by_province]),
                                   Series(_("OCOP producers"), [r.ocop_producers for r in board.by_province])],
                                  title=_("Products and producers by province"), horizontal=True,
                                  height_in=max(2.5, 0.35 * len(board.by_province)))
        charts["provinces"] = _data_uri(provinces)
    return charts


def public_charts(figures: programme.PublicFigures) -> dict[str, str]:
    """Only cells that are shown are drawn (a suppressed month is drawn as 0 and labelled "—" in
    the table)."""
    months = [m for m, _s, _n in figures.trend]
    values = [s.value or 0 for _m, s, _n in figures.trend]
    return {"trend": _data_uri(bar_chart_svg(months, [Series(_("Net sales"), values)],
                                             title=_("Net sales on the platform by month"), value_label="VND"))}
