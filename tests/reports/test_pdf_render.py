"""What the render changes in pydyf for speed gives the same PDF objects (no database)."""

import pydyf

from reports.exporters import pdf_render


def test_page_references_follow_the_pages_added():
    assert pydyf.PDF.page_references.fget is pdf_render._page_references
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first is pdf.page_references  # made once for the same pages
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    numbers = pdf.pages["Kids"][::3]
    assert pdf.page_references == tuple(f"{number} 0 R".encode() for number in numbers) and len(numbers) == 4
