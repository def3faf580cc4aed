"""The one step that runs in the PDF worker processes; kept apart so they import WeasyPrint and nothing else."""

import os

from weasyprint import HTML


def render_pdf(html):
    """One HTML document to PDF bytes."""
    return HTML(string=html, base_url=os.getcwd()).write_pdf()
