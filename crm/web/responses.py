"""Answers other than pages: downloads."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

from crm.csv_export import csv_text


def csv_response(rows: Iterable[Iterable], filename: str) -> Response:
    """`rows` as a CSV download named `filename` (the French-spreadsheet format of csv_export)."""
    return Response(
        csv_text(rows).encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
