"""The PDF of an invoice (fpdf2, pure Python). Text is set in Be Vietnam Pro, shipped with this
module (`fonts/`), so that Vietnamese prints the same on every server; the system's fonts are
never read. Labels follow the request's language; the invoice's own data (names, products) is as
issued."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from marketplace.formatting import format_date, format_vnd
from marketplace.invoicing.models import Invoice

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "BeVietnamPro"
INK = (28, 36, 32)
MUTED = (96, 104, 98)
BRAND = (31, 81, 52)
LINE = (205, 198, 178)


@cache
def _invoice_pdf_class() -> type:
    """The PDF class, made at the first invoice: fpdf2 (with fontTools and numpy) is about 35 MB
    of a worker's memory, which a process that writes no PDF need not carry."""
    from fpdf import FPDF

    class InvoicePDF(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-14)
            self.set_font(FONT, size=8)
            self.set_text_color(*MUTED)
            self.cell(0, 5, self.footer_text, align="L")
            self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")

    return InvoicePDF


def invoice_pdf(invoice: Invoice, *, status_label: str, today: date) -> bytes:
    """The invoice as PDF bytes (A4 portrait)."""
    pdf = _invoice_pdf_class()(orientation="P", unit="mm", format="A4")
    pdf.set_title(f"{_('Invoice')} {invoice.number}")
    pdf.set_author(invoice.seller_name)
    pdf.set_creator("OCOP Marketplace")
    pdf.add_font(FONT, "", str(FONT_DIR / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "BeVietnamPro-SemiBold.ttf"))
    pdf.footer_text = f"{invoice.number} · {_('Payment reference')}: {invoice.payment_reference}"
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_text_color(*BRAND)
    pdf.set_font(FONT, "B", 18)
    pdf.cell(width * 0.6, 9, _("Invoice"))
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*INK)
    pdf.cell(width * 0.4, 9, invoice.number, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*MUTED)
    facts = [
        (_("Issue date"), format_date(invoice.issue_date)),
        (_("Due date"), format_date(invoice.due_date)),
        (_("Status"), status_label),
        (_("Order"), invoice.order_reference),
    ]
    if invoice.purchase_order_number:
        facts.append((_("Your PO number"), invoice.purchase_order_number))
    for label, value in facts:
        pdf.cell(width, 5, f"{label}: {value}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    top = pdf.get_y()
    column = (width - 8) / 2
    for index, (title, name, tax_code, address) in enumerate(
        [
            (_("Seller"), invoice.seller_name, invoice.seller_tax_code, invoice.seller_address),
            (_("Buyer"), invoice.buyer_name, invoice.buyer_tax_code, invoice.buyer_address),
        ]
    ):
        x = pdf.l_margin + index * (column + 8)
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 8)
        pdf.set_text_color(*MUTED)
        pdf.cell(column, 5, title.upper(), new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(*INK)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(column, 5, name, new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, size=9)
        pdf.multi_cell(column, 4.6, f"{_('Tax code')}: {tax_code or '—'}", new_x="LEFT", new_y="NEXT")
        pdf.multi_cell(column, 4.6, address, new_x="LEFT", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 26))
    if invoice.delivery_address:
        pdf.set_font(FONT, size=9)
        pdf.multi_cell(
            width, 4.6, f"{_('Delivered to')}: {invoice.delivery_address}", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)

    widths = [8, width - 8 - 12 - 24 - 27 - 16 - 27, 12, 24, 27, 16, 27]
    headings = ["#", _("Product"), _("Qty"), _("Unit price"), _("Amount"), _("VAT rate"), _("VAT amount")]
    aligns = ["L", "L", "R", "R", "R", "R", "R"]
    pdf.set_font(FONT, "B", 8.5)
    pdf.set_fill_color(238, 244, 238)
    for heading, w, align in zip(headings, widths, aligns, strict=True):
        pdf.cell(w, 7, heading, border="B", align=align, fill=True)
    pdf.ln()
    pdf.set_font(FONT, size=8.5)
    for number, line in enumerate(invoice.lines, start=1):
        name = line.product_name + (f" ({line.sku})" if line.sku else "")
        cells = [
            str(number),
            name,
            str(line.quantity),
            format_vnd(line.unit_price_vnd),
            format_vnd(line.amount_vnd),
            f"{line.vat_rate_percent}%",
            format_vnd(line.vat_vnd),
        ]
        # The product name may wrap: measure it, then draw every cell at that height.
        lines_needed = len(pdf.multi_cell(widths[1], 5, name, dry_run=True, output="LINES"))
        height = 5 * max(1, lines_needed) + 1.5
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        x = pdf.l_margin
        for text, w, align in zip(cells, widths, aligns, strict=True):
            pdf.set_xy(x, y)
            if w == widths[1]:
                pdf.multi_cell(w, 5, text, align=align, new_x="RIGHT", new_y="TOP", padding=(0.75, 0, 0, 0))
            else:
                pdf.cell(w, 6.5, text, align=align)
            x += w
        pdf.set_draw_color(*LINE)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + width, y + height)
        pdf.set_xy(pdf.l_margin, y + height)
    pdf.ln(3)

    label_width, value_width = width - 40, 40

    def total_row(label: str, value: str, bold: bool = False) -> None:
        pdf.set_font(FONT, "B" if bold else "", 10 if bold else 9)
        pdf.cell(label_width, 6, label, align="R")
        pdf.cell(value_width, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")

    total_row(_("Amount before VAT"), format_vnd(invoice.subtotal_vnd))
    for rate, amount, tax in invoice.vat_by_rate():
        total_row(_("VAT %(rate)d%% on %(amount)s", rate=rate, amount=format_vnd(amount)), format_vnd(tax))
    total_row(_("Total"), format_vnd(invoice.total_vnd), bold=True)
    if invoice.credited_vnd:
        total_row(_("Credit notes"), "−" + format_vnd(invoice.credited_vnd))
    if invoice.paid_vnd:
        total_row(_("Paid"), "−" + format_vnd(invoice.paid_vnd))
    total_row(_("Amount due"), format_vnd(invoice.amount_due_vnd), bold=True)
    pdf.ln(5)

    pdf.set_fill_color(255, 246, 220)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(
        width,
        6,
        _(
            "Pay by bank transfer by %(date)s, writing the payment reference %(reference)s in the "
            "description.",
            date=format_date(invoice.due_date),
            reference=invoice.payment_reference,
        ),
        fill=True,
        padding=3,
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if invoice.credit_notes:
        pdf.ln(4)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(width, 6, _("Credit notes"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=8.5)
        for note in invoice.credit_notes:
            kind = _("Short") if note.kind == "shortfall" else _("Damaged")
            pdf.multi_cell(
                width,
                5,
                f"{note.number} · {kind} · {note.line.product_name} × {note.quantity}: "
                f"{format_vnd(note.total_vnd)} — {note.note}",
                align="L",
                new_x="LMARGIN",
                new_y="NEXT",
            )
    return bytes(pdf.output())
