"""The Individual Pupil report as one PNG image: the PDF's pages rendered and stacked.

Rendering the PDF (with pdfium, shipped inside the pypdfium2 wheel) keeps the image
and the PDF the same report, figure for figure, with no browser needed on the server.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

SCALE = 2.0  # about 144 dots per inch: sharp on screen, small enough to send
GAP = 12  # pixels of white between pages


def pdf_as_png(pdf: bytes, scale: float = SCALE) -> bytes:
    """Return every page of a PDF, top to bottom on one white PNG."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [page.render(scale=scale).to_pil() for page in document]
    finally:
        document.close()
    width = max(page.width for page in pages)
    height = sum(page.height for page in pages) + GAP * (len(pages) - 1)
    sheet = Image.new("RGB", (width, height), "white")
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height + GAP
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue()
