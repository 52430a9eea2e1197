"""Write .xlsx files that are byte-identical for identical input (same records -> same bytes).

openpyxl stamps the save time into docProps/core.xml and into every zip entry; both are pinned to
SOURCE_DATE_EPOCH (default 2000-01-01) after saving.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from generator.paths import write_file
from generator.spreadsheet_text import xstring_part

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")  # required columns: pale yellow
INTERNAL_FILL = PatternFill("solid", fgColor="E7E6E6")  # internal (never published) columns: grey
OPTIONAL_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def pinned_time() -> dt.datetime:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "946684800"))
    return dt.datetime.fromtimestamp(max(epoch, 315532800), dt.UTC).replace(tzinfo=None)


def save(wb: Workbook, path: Path) -> Path:
    stamp = pinned_time()
    wb.properties.creator = "shuangsuiji-generator"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    try:
        wb.save(buf)  # openpyxl writes each sheet to a temporary file first: a full disk fails here
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    when = stamp.isoformat(timespec="seconds") + "Z"
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xml"):  # openpyxl writes text as it is: _x0031_ would read "1"
                data = xstring_part(data)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + when.encode(), data)
            pinned = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o600 << 16
            dst.writestr(pinned, data)
    return write_file(path, out.getvalue())  # whole or not at all: an earlier file stays on a full disk


def set_widths(ws, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
