"""Print benchmark: a 12-photo 案件移送函 through the GUI's print path to a PDF printer.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/print_letter.py [--photos 12] [--repeat 5]

Issues a 移送函 whose case holds N camera JPEGs (4000x3000, made by ``import_photos.make_photos``),
then prints it with ``DocumentPage.print_current`` (what 打印 does after the print dialog: the
issued PDF read on a worker, painted on the QPrinter by ``ui.pdf_print.print_pdf``) on a QPrinter
in PdfFormat, the "PDF printer". Prints, per run and as median/min/max: wall time from the call to
the ``printed`` signal, and the spooled size (the PDF the printer wrote). The printer's resolution is
what the dialog hands over for a HighResolution QPrinter unless ``--dpi`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_photos import make_photos


def issue_letter(ctx: object, folder: Path, n_photos: int) -> dict[str, object]:
    from officer_app.services import cases, catalogue, documents, evidence_import, officers

    officers.add_or_select_officer(ctx, "测试", "B-1", "310118")
    photos = make_photos(folder / "photos", n_photos, origin=(31.1508, 121.1244))
    report = evidence_import.import_files(ctx, photos)
    ids = [f.evidence_id for f in report.files if f.evidence_id]
    case_id = cases.record_case(ctx, violation_code="JZLJ-01", evidence_ids=ids)
    doc = documents.new_document(ctx, "case_transfer", case_id=case_id)
    documents.set_fields(
        ctx,
        doc["id"],
        {
            "receiving_agency": "苏州市吴江区综合行政执法局",
            "party": "某公司",
            "reason": "发生地在你区。",
        },
    )
    catalogue.confirm_draft_basis(ctx, doc["id"])  # the officer checked the basis
    return documents.issue_document(ctx, doc["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dpi", type=int, default=0, help="printer resolution (0: QPrinter's own)")
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from officer_app.services.context import AppContext
    from officer_app.ui.document_page import DocumentPage

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp, AppContext.open(Path(tmp) / "data") as ctx:
        issued = issue_letter(ctx, Path(tmp), args.photos)
        pdf_size = Path(str(issued["path"])).stat().st_size
        print(
            f"issued {issued['number']}: {issued['pages']} pages, {len(ctx.store.query('SELECT id FROM evidence'))}"
            f" photos, PDF {pdf_size / 1e6:.1f} MB"
        )
        page = DocumentPage(ctx)
        page.select_document(str(issued["id"]))
        times, sizes = [], []
        for run in range(args.repeat):
            out = Path(tmp) / f"spool-{run}.pdf"
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(out))
            if args.dpi:
                printer.setResolution(args.dpi)
            loop = QEventLoop()
            result: list[int] = []
            page.printed.connect(
                lambda n, result=result, loop=loop: (result.append(n), loop.quit())
            )
            QTimer.singleShot(600_000, loop.quit)
            t0 = time.perf_counter()
            assert page.print_current(printer)
            loop.exec()
            elapsed = time.perf_counter() - t0
            page.printed.disconnect()
            if not result or result[0] != issued["pages"]:
                raise SystemExit(f"print failed: {result} pages printed")
            times.append(elapsed)
            sizes.append(out.stat().st_size)
            print(
                f"run {run + 1}: {elapsed:.2f} s, spool {sizes[-1] / 1e6:.1f} MB "
                f"({printer.resolution()} dpi printer)"
            )
        page.shutdown()
        print(
            f"print {issued['pages']}-page letter with {args.photos} photos: median "
            f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}) over "
            f"{args.repeat}; spool median {statistics.median(sizes) / 1e6:.1f} MB "
            f"(min {min(sizes) / 1e6:.1f}, max {max(sizes) / 1e6:.1f})"
        )
    del app


if __name__ == "__main__":
    main()
