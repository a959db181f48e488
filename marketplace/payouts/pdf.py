"""The PDF of a payout statement (fpdf2), set in the Be Vietnam Pro font shipped with invoicing,
so that Vietnamese prints the same on every server."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.formatting import format_date, format_vnd
from marketplace.invoicing.pdf import BRAND, FONT, FONT_DIR, INK, LINE, MUTED
from marketplace.payouts.models import PayoutStatement
from marketplace.producers.models import Producer

KIND_LABELS = {
    "sale": _l("Sale"),
    "refund": _l("Refund"),
    "cancellation": _l("Cancellation"),
    "credit_note": _l("Credit note"),
}


def statement_pdf(statement: PayoutStatement, producer: Producer, *, status_label: str) -> bytes:
    """The statement as PDF bytes (A4 portrait): header, one row per payout line, totals."""
    from fpdf import FPDF  # at the first statement, not at start-up (see invoicing.pdf)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{_('Payout statement')} {statement.id}")
    pdf.set_creator("OCOP Marketplace")
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-SemiBold.ttf"))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 16)
    pdf.cell(width, 9, f"{_('Payout statement')} {statement.id}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(width, 5, producer.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*MUTED)
    facts = [
        (_("Tax code"), producer.tax_code or "—"),
        (_("Period end"), format_date(statement.run.period_end)),
        (_("Status"), status_label),
    ]
    if statement.paid_on:
        facts.append((_("Paid"), f"{format_date(statement.paid_on)} · {statement.bank_reference}"))
    for label, value in facts:
        pdf.cell(width, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_text_color(*INK)
    widths = [22, width - 22 - 4 * 28, 28, 28, 28, 28]
    headings = [_("Date"), _("Entry"), _("Gross"), _("Commission"), _("VAT + PIT"), _("Net")]
    pdf.set_font(FONT, "B", 8.5)
    pdf.set_fill_color(238, 244, 238)
    for index, (heading, w) in enumerate(zip(headings, widths, strict=True)):
        pdf.cell(w, 7, heading, border="B", align="L" if index < 2 else "R", fill=True)
    pdf.ln()
    pdf.set_font(FONT, size=8.5)
    pdf.set_draw_color(*LINE)
    for line in statement.lines:
        cells = [
            format_date(line.business_date),
            f"{KIND_LABELS[line.kind]} · {line.channel} · #{line.order_id}",
            format_vnd(line.gross_vnd),
            format_vnd(line.commission_vnd),
            format_vnd(line.vat_vnd + line.pit_vnd),
            format_vnd(line.net_vnd),
        ]
        for index, (text, w) in enumerate(zip(cells, widths, strict=True)):
            pdf.cell(w, 6, text, border="B", align="L" if index < 2 else "R")
        pdf.ln()
    pdf.ln(3)

    def total_row(label: str, amount: int, bold: bool = False) -> None:
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9)
        pdf.cell(width - 40, 6, label, align="R")
        pdf.cell(40, 6, format_vnd(amount), align="R", new_x="LMARGIN", new_y="NEXT")

    total_row(_("Gross sales less refunds and credit notes"), statement.gross_vnd)
    total_row(_("Platform commission"), -statement.commission_vnd)
    total_row(_("VAT withheld"), -statement.vat_vnd)
    total_row(_("PIT withheld"), -statement.pit_vnd)
    if statement.brought_forward_vnd:
        total_row(_("Balance brought forward"), statement.brought_forward_vnd)
    total_row(_("Amount owed"), statement.net_vnd, bold=True)
    return bytes(pdf.output())
