# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Printing several records at once with the wkhtmltopdf that Debian ships.

How it works: ``docs/design.md``, section ``models/ir_actions_report.py``."""

import contextvars
import functools
import io
import logging
import subprocess
from collections import OrderedDict

from PyPDF2 import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo import models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)


@functools.cache
def wkhtmltopdf_merges_pages(binary):
    """Whether the wkhtmltopdf at ``binary`` takes several input pages: only a build
    "with patched qt" (wkhtmltopdf --version says so) does."""
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # no usable wkhtmltopdf: leave the error to Odoo
    merges = b"patched qt" in out.lower()
    if not merges:
        _logger.info(
            "%s has no patched Qt: reports of several records are rendered "
            "one record at a time and merged",
            binary,
        )
    return merges


def number_pages(pdf):
    """``pdf`` (bytes) with "n / N" at the foot of each page: what the footer of the
    addon's layout prints when wkhtmltopdf can print a footer (a patched Qt), drawn
    with reportlab (one of Odoo's requirements) and laid over each page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        overlay = io.BytesIO()
        drawing = canvas.Canvas(overlay, pagesize=(width, height))
        drawing.setFont("Helvetica", 8)
        drawing.setFillGray(0.45)
        drawing.drawCentredString(width / 2, 7 * mm, f"{number} / {total}")
        drawing.save()
        page.merge_page(PdfReader(overlay).pages[0])
        page.compress_content_streams()  # merged, the page's content is plain text
        writer.add_page(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class _SeveralPages(Exception):
    """Raised inside a report rendering when one wkhtmltopdf call would get several
    pages that it cannot merge: the report is then rendered one record at a time."""


# set while a report is being prepared by the override below, which catches the
# exception; elsewhere several pages are rendered one by one and merged
_PREPARING = contextvars.ContextVar("dealer_management_preparing_report", default=False)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        """The addon's papers print times in their reader's time zone: his own, or,
        when he has none, his company's (its partner's), never UTC by default (an
        approval at 13:32 Beijing time printed 05时32分)."""
        report = self._get_report(report_ref)
        reports = self
        if (
            report.report_name.startswith("dealer_management.")
            and not self.env.context.get("tz")
            and not self.env.user.tz
            and self.env.company.partner_id.tz
        ):
            reports = self.with_context(tz=self.env.company.partner_id.tz)
        return super(IrActionsReport, reports)._render_qweb_html(
            report_ref, docids, data=data
        )

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        if (
            not res_ids
            or len(res_ids) < 2
            or wkhtmltopdf_merges_pages(_get_wkhtmltopdf_bin())
        ):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        token = _PREPARING.set(True)
        try:
            # a report that prints the records as one document (one page source,
            # like the warning digest) goes through as it is
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, dict(data or {}), res_ids=res_ids
            )
        except _SeveralPages:  # pylint: disable=except-pass
            # not an error: the signal that this report goes one record at a time
            pass
        finally:
            _PREPARING.reset(token)
        # a page source per record: each record on its own, as Odoo does for the
        # records whose PDF it takes from an attachment, and Odoo merges them
        unique = list(OrderedDict.fromkeys(res_ids))
        streams = OrderedDict()
        for res_id in unique:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
            )
        if len(unique) == len(res_ids):
            return streams
        # the same record asked for more than once: one document, in the order asked
        pages = [io.BytesIO(streams[res_id]["stream"].getvalue()) for res_id in res_ids]
        return {False: {"stream": self._merge_pdfs(pages), "attachment": None}}

    def _run_wkhtmltopdf(self, bodies, *args, **kwargs):
        merges = wkhtmltopdf_merges_pages(_get_wkhtmltopdf_bin())
        if len(bodies) < 2 and not merges:
            pdf = super()._run_wkhtmltopdf(bodies, *args, **kwargs)
            report_ref = kwargs.get("report_ref") or (args[0] if args else False)
            report = report_ref and self._get_report(report_ref)
            if report and report.report_name.startswith("dealer_management."):
                # no footer from this binary: the page numbers are stamped on
                return number_pages(pdf)
            return pdf
        if len(bodies) < 2 or merges:
            return super()._run_wkhtmltopdf(bodies, *args, **kwargs)
        if _PREPARING.get():
            raise _SeveralPages()
        # any other caller: each page source on its own, merged into one PDF
        pages = [
            io.BytesIO(
                super(IrActionsReport, self)._run_wkhtmltopdf([body], *args, **kwargs)
            )
            for body in bodies
        ]
        return self._merge_pdfs(pages).getvalue()
