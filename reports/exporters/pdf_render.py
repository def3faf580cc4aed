"""HTML to PDF with WeasyPrint, kept apart so that only the code that renders imports WeasyPrint."""

import gc
import json
import os
import re
from contextlib import contextmanager
from importlib.resources import files
from xml.etree.ElementTree import SubElement, fromstring, register_namespace, tostring

import pydyf
from weasyprint import CSS, HTML, Attachment
from weasyprint.pdf.metadata import NS, DocumentMetadata

RDF = NS["rdf"]
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
SALKKU = "https://salkku.popsote.fi/ns/report/1.0/"
for prefix, uri in (
    ("pdfaExtension", EXTENSION),
    ("pdfaSchema", SCHEMA),
    ("pdfaProperty", PROPERTY),
    ("salkku", SALKKU),
):
    register_namespace(prefix, uri)

# Properties outside the XMP standard schemas must be described in PDF/A's extension schema.
SCHEMAS = [
    (
        "PDF/UA Universal Accessibility Schema",
        NS["pdfuaid"],
        "pdfuaid",
        [("part", "Integer", "internal", "Part of ISO 14289 the file conforms to")],
    ),
    (
        "Salkku monthly report",
        SALKKU,
        "salkku",
        [
            ("programme", "Text", "external", "Code of the programme reported on"),
            ("period", "Text", "external", "Reporting month (YYYY-MM)"),
            ("dataState", "Text", "external", "The approved status updates used, as JSON"),
            ("sourceUpdates", "Text", "external", "The approved status updates used, as text"),
        ],
    ),
]


def _resource(parent, tag):
    item = SubElement(parent, tag)
    item.set(f"{{{RDF}}}parseType", "Resource")
    return item


def _text(parent, tag, text):
    SubElement(parent, tag).text = text


class ArchiveMetadata(DocumentMetadata):
    """WeasyPrint's document metadata plus the PDF/UA identification and the report's data in XMP."""

    def __init__(self, report, **fields):
        super().__init__(**fields)
        self.report = report

    def generate_rdf_metadata(self, variant, version, conformance):
        rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
        ua = SubElement(rdf, f"{{{RDF}}}Description")
        ua.set(f"{{{RDF}}}about", "")
        _text(ua, f"{{{NS['pdfuaid']}}}part", "1")
        data = SubElement(rdf, f"{{{RDF}}}Description")
        data.set(f"{{{RDF}}}about", "")
        _text(data, f"{{{SALKKU}}}programme", self.report["programme"])
        _text(data, f"{{{SALKKU}}}period", self.report["period"])
        _text(data, f"{{{SALKKU}}}dataState", self.report["data_state"])
        _text(data, f"{{{SALKKU}}}sourceUpdates", self.report["sources"])
        extension = SubElement(rdf, f"{{{RDF}}}Description")
        extension.set(f"{{{RDF}}}about", "")
        bag = SubElement(SubElement(extension, f"{{{EXTENSION}}}schemas"), f"{{{RDF}}}Bag")
        for name, uri, prefix, properties in SCHEMAS:
            schema = _resource(bag, f"{{{RDF}}}li")
            _text(schema, f"{{{SCHEMA}}}schema", name)
            _text(schema, f"{{{SCHEMA}}}namespaceURI", uri)
            _text(schema, f"{{{SCHEMA}}}prefix", prefix)
            seq = SubElement(SubElement(schema, f"{{{SCHEMA}}}property"), f"{{{RDF}}}Seq")
            for prop, value_type, category, description in properties:
                item = _resource(seq, f"{{{RDF}}}li")
                _text(item, f"{{{PROPERTY}}}name", prop)
                _text(item, f"{{{PROPERTY}}}valueType", value_type)
                _text(item, f"{{{PROPERTY}}}category", category)
                _text(item, f"{{{PROPERTY}}}description", description)
        return tostring(rdf)


# WeasyPrint's user-agent stylesheet has rules for ``::marker``, ``::footnote-call``, ``::footnote-marker``,
# ``::note-call``, ``::note-marker`` and ``::note-callback`` that match every element, so every element
# carries six pseudo-element styles kept until the end of the render. The report has no footnotes
# and only its list items have markers: without those rules the long report takes a third less memory
# and a fifth less time (``bench_reports``). Nothing else of the stylesheet changes.
REPORT_UA = CSS(
    string=re.sub(
        r"^::(?:footnote|note)-[\w-]+ \{[^}\n]*\}$",
        "",
        (files("weasyprint.css") / "html5_ua.css").read_text("utf-8").replace("\n::marker {", "\nli::marker {"),
        flags=re.MULTILINE,
    )
)


def _page_references(pdf):
    """pydyf's ``PDF.page_references``, made once per page count instead of on every call.

    WeasyPrint's tagging asks it of every structure element it makes (``pdf.page_references[n]``), and pydyf
    builds the tuple of all the pages' references each time: work that grew with elements × pages, the one part
    of the render that grew faster than the pages (41 545 calls × 238 pages, 2 s of the ten-times report's 28 s
    of processor time). The tuple is the same while the pages are; tags and outlines are made after the last
    page is added.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        pdf.__dict__["_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_page_references)


class ReportHTML(HTML):
    """An HTML document laid out with the report's user-agent stylesheet."""

    def _ua_stylesheets(self, forms=False):
        return [REPORT_UA]


@contextmanager
def cycle_collection_paused():
    """The render makes millions of objects that live until it ends and next to no reference cycles; the
    collector's full passes over them grew with the document and took 40 % of the long report's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_pdf(html, *, archive=None):
    """One HTML document to PDF bytes: PDF/UA-1, or PDF/A-3b for the archive with ``archive``'s data."""
    with cycle_collection_paused():
        return _write(ReportHTML(string=html, base_url=os.getcwd()).render(), archive)


def _write(document, archive):
    if archive is None:
        return document.write_pdf(pdf_variant="pdf/ua-1")
    document.metadata = ArchiveMetadata(archive, **vars(document.metadata))
    data = json.dumps({key: archive[key] for key in ("programme", "period", "sources")}, ensure_ascii=False)
    state = json.dumps({**json.loads(archive["data_state"]), "report": json.loads(data)}, ensure_ascii=False, indent=1)
    attachment = Attachment(
        string=state.encode(),
        name="aineisto.json",
        description="Raportin aineisto: käytetyt hyväksytyt tilannekatsaukset",
        relationship="Data",
    )
    return document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True, attachments=[attachment])
