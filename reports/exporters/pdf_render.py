"""The step that runs in the PDF renderer processes: HTML in, PDF out. Kept apart so they import WeasyPrint only.

``python -m reports.exporters.pdf_render`` serves requests on stdin/stdout: each is an 8-byte big-endian
length and that many bytes of UTF-8 HTML; each answer is a length and the PDF bytes.
"""

import os
import sys

from weasyprint import HTML

HEADER = 8


def render_pdf(html):
    """One HTML document to PDF bytes."""
    return HTML(string=html, base_url=os.getcwd()).write_pdf()


def read_message(stream):
    """One length-prefixed message from ``stream``, or None at its end."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return None
    size = int.from_bytes(header, "big")
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("message cut short")
    return body


def write_message(stream, body):
    stream.write(len(body).to_bytes(HEADER, "big") + body)
    stream.flush()


def serve(requests, answers):
    while (html := read_message(requests)) is not None:
        write_message(answers, render_pdf(html.decode("utf-8")))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
