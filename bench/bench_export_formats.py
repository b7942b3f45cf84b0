"""Benchmark: the registry's XLSX export against its CSV export of the same 100,000 rows.

In process (the functions the request and the background job call), all rows with national
IDs, in Mongolian, CSV then XLSX in turn, wall and CPU time of each (best of `--repeats`). With
`--xlsxwriter`, also the XlsxWriter workbook the export wrote before (issue 18), for comparison.
Target (issue 18): the XLSX within 2x the CSV. Timings are printed, never asserted.

    .venv/bin/python bench/bench_export_formats.py --db sqlite --repeats 2 --xlsxwriter

Seeds the database first if needed (bench/seed_registry.py, `$LMS_BENCH_DIR`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import seed_registry  # noqa: E402


def runners(kind: str) -> dict[str, Callable[[], int]]:
    """Each export as a function that writes it and returns its size in bytes."""
    os.environ.update(
        LMS_INSTANCE_PATH=str(seed_registry.instance_path(kind)),
        LMS_DATABASE_URL=seed_registry.database_url(kind),
        LMS_RATELIMIT_ENABLED="0",
    )
    from lms import create_app
    from lms.domain.registry.filters import RegistryFilter
    from lms.registry import views  # noqa: F401 (the blueprint, before its exports module)
    from lms.registry.exports import column_headers, value_labels
    from lms.services import clock
    from lms.services.registry import export

    app = create_app()
    context = app.test_request_context("/", headers={"Accept-Language": "mn"})
    context.push()  # kept for the whole run (the exports translate their headers)
    on, headers, labels = clock.today(), column_headers(), value_labels()

    def csv() -> int:
        return sum(len(c) for c in export.csv_chunks(RegistryFilter(), on, "mn", headers, labels))

    def xlsx() -> int:
        with export.xlsx_file(RegistryFilter(), on, "mn", headers, labels) as file:
            return file.seek(0, 2)

    def xlsxwriter() -> int:
        return _xlsxwriter_export(export, RegistryFilter(), on, headers, labels)

    return {"csv": csv, "xlsx": xlsx, "xlsxwriter": xlsxwriter}


def _xlsxwriter_export(export: Any, view: Any, on: date, headers: Any, labels: Any) -> int:
    """The workbook as XlsxWriter wrote it before issue 18: one call per cell."""
    import xlsxwriter

    from lms.domain.registry.export_rows import cells, column_width, columns
    from lms.services.registry.query import credential_query

    with tempfile.TemporaryFile() as target:
        options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = xlsxwriter.Workbook(target, options)
        sheet = workbook.add_worksheet("registry")
        bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        names = columns(True)
        for col, name in enumerate(names):
            sheet.set_column(col, col, column_width(name, headers[name]))
            sheet.write_string(0, col, headers[name], bold)
        sheet.freeze_panes(1, 0)
        last = 0
        rows = export.registry_rows(credential_query(view, on), on, "mn", True)
        for last, row in enumerate(rows, start=1):
            for col, value in enumerate(cells(row, "mn", labels, True)):
                if value is None or value == "":
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(last, col, value, day)
                elif isinstance(value, float | int):
                    sheet.write_number(last, col, value)
                else:
                    sheet.write_string(last, col, value)
        sheet.autofilter(0, 0, last, len(names) - 1)
        workbook.close()
        return target.seek(0, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--xlsxwriter", action="store_true", help="Also the old XlsxWriter way.")
    args = parser.parse_args()
    if not (seed_registry.instance_path(args.db) / "bench-sample.json").exists():
        print(f"[{args.db}] {seed_registry.seed(args.db, 10_000, 100_000)}", flush=True)
    run = runners(args.db)
    names = ["csv", "xlsx"] + (["xlsxwriter"] if args.xlsxwriter else [])
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeats):
        for name in names:
            wall, cpu = time.perf_counter(), time.process_time()
            size = run[name]()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            megabytes = size / 1e6
            print(f"[{args.db}] {name:<10} wall {wall:6.2f} s, CPU {cpu:.2f} s, {megabytes:.1f} MB")
            old = best.get(name, (wall, cpu))
            best[name] = (min(old[0], wall), min(old[1], cpu))
    csv_wall, csv_cpu = best["csv"]
    for name in names[1:]:
        wall, cpu = best[name]
        verdict = "met" if wall / csv_wall <= 2 else "MISSED"
        print(
            f"[{args.db}] {name} / CSV (best of {args.repeats}): wall {wall / csv_wall:.2f}x, "
            f"CPU {cpu / csv_cpu:.2f}x  (target <= 2x wall: {verdict}; "
            f"load average {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
