"""The pupil reports' exporters for `python -m dashboard export` (see export_cli).

Pupil List and Individual Pupil register here as they are built; until then the
command says the report cannot be exported yet.
"""

from __future__ import annotations

from dashboard.export_cli import Exporter, PdfExporter

PUPIL_EXPORTERS: dict[str, Exporter] = {}
PDF_EXPORTERS: dict[str, PdfExporter] = {}
