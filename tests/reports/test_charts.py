"""Server-drawn SVG charts: inline SVG with a title, patterns per series and direct value labels."""

from __future__ import annotations

from marketplace.reports.charts import Series, bar_chart_svg, thousands


def test_a_bar_chart_is_inline_svg_titled_with_a_direct_label_per_bar_and_a_pattern_per_series() -> None:
    svg = bar_chart_svg(
        ["2026-01", "2026-02"],
        [Series("Online", [200_000, 250_000]), Series("Siêu thị", [0, 720_000])],
        title="Doanh thu theo tháng",
        value_label="VND",
    )
    assert svg.startswith("<svg ") and 'role="img"' in svg and 'aria-label="Doanh thu theo tháng"' in svg
    assert "<script" not in svg
    for label in ("200.000", "250.000", "720.000", "2026-01", "Siêu thị", "Online"):
        assert label in svg  # text stays text (svg.fonttype none), so it reads without the picture
    assert "<pattern" in svg  # the second series is hatched, not only coloured


def test_the_same_figures_draw_the_same_svg() -> None:
    def draw() -> str:
        return str(bar_chart_svg(["Huế"], [Series("A", [1])], title="t", horizontal=True))

    assert draw() == draw()


def test_thousands_groups_digits_the_vietnamese_way() -> None:
    assert (thousands(1_020_000), thousands(-150_000), thousands(0)) == ("1.020.000", "-150.000", "0")
