"""Time a 10,000-row participant import (XLSX and cp1252 CSV): preview and commit, with peak memory; and the
preview of a hostile ~155 KB XLSX whose one cell holds 150 MB of text, which is refused within bounded memory.

Run: .venv/bin/python benchmarks/import_participants.py [--rows 10000] [--database-url URL]
Each case runs in its own process so its peak memory (max RSS) is its own; "+preview" is how much the preview and
the commit added to what the process held before them (the app, the database, the file).
"""
import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COUNTRIES = ("México", "Guatemala", "Honduras", "El Salvador", "Nicaragua", "Costa Rica", "Panamá",
             "República Dominicana", "Belice", "Canadá", "Estados Unidos")
HEADER = ["Nombre(s)", "Apellido(s)", "Cargo/Puesto", "Afiliación institucional", "Correo electrónico", "País",
          "Sexo", "Perfil"]


def generate_rows(count):
    rng = random.Random(7)
    given = ["José Ángel", "María Fernanda", "Íñigo", "Sofía", "Raúl", "Begoña", "Noémie", "Zoë"]
    family = ["Núñez Peña", "Gómez Díaz", "Álvarez", "Zúñiga Ibáñez", "Côté", "O'Brien"]
    for index in range(count):
        yield [rng.choice(given), rng.choice(family), "Consejera de empleo", "Servicio Nacional de Empleo",
               f"persona{index}@example.org", COUNTRIES[index % len(COUNTRIES)], rng.choice("FM"),
               "Consejería de empleo"]


def make_file(kind, rows):
    if kind == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(HEADER)
        for row in generate_rows(rows):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    lines = [";".join(HEADER)] + [";".join(row) for row in generate_rows(rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def make_bomb(megabytes=150):
    """~155 KB of XLSX whose cell A2 holds `megabytes` MB of inline text, written a megabyte at a time."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
                         'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
        archive.writestr("xl/workbook.xml", f'<workbook {main} xmlns:r="{relationships}"><sheets><sheet name="S" '
                                            'sheetId="1" r:id="rId1"/></sheets></workbook>')
        archive.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         f'package/2006/relationships"><Relationship Id="rId1" Type="{relationships}/worksheet" '
                         'Target="worksheets/sheet1.xml"/></Relationships>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            header = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in HEADER)
            sheet.write(f'<worksheet {main}><sheetData><row r="1">{header}</row><row r="2">'
                        '<c r="A2" t="inlineStr"><is><t>'.encode())
            for _ in range(megabytes):
                sheet.write(b"A" * (1024 * 1024))
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


def run_case(kind, rows, database_url):
    """One import, measured; prints a JSON line."""
    import resource

    from flask_migrate import upgrade

    from app import create_app
    from extensions import db
    from training.countries import code_from_name
    from training.models import Delegation, Program
    from training.services_imports import store_upload

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": "b" * 40,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    content = make_bomb() if kind == "bomb" else make_file(kind, rows)
    with app.app_context():
        upgrade()
        program = Program(code=f"BENCH-{kind}-{os.getpid()}", title={"es": "Benchmark"}, timezone="America/Mexico_City")
        db.session.add(program)
        db.session.flush()
        for name in COUNTRIES:
            db.session.add(Delegation(program_id=program.id, kind="member", country_code=code_from_name(name),
                                      quota=rows))
        batch = store_upload(program, None, f"list.{kind}", content)
        db.session.commit()
        before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = _preview_and_commit(batch, rows)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "rows": rows, "file_kb": round(len(content) / 1024), **result,
                      "peak_mb": round(peak_mb), "added_mb": round(peak_mb - before_mb)}))


def _preview_and_commit(batch, rows):
    """Times of the preview and the commit (or the reason the preview refused the file)."""
    from extensions import db
    from training.services_imports import apply_batch, plan_batch
    from training.tabular import TableError

    started = time.perf_counter()
    try:
        plan = plan_batch(batch, max_rows=rows)
    except TableError as error:
        return {"preview_s": round(time.perf_counter() - started, 2), "refused": error.code}
    preview_seconds = time.perf_counter() - started
    if not plan.clean:  # the generated lists are clean: only a hostile file that was read whole gets here
        return {"preview_s": round(preview_seconds, 2), "refused": f"{len(plan.error_rows)} rows with errors"}
    started = time.perf_counter()
    summary, _first = apply_batch(batch, None, max_rows=rows)
    db.session.commit()
    return {"preview_s": round(preview_seconds, 2), "commit_s": round(time.perf_counter() - started, 2),
            "created": summary["created"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--case", choices=["xlsx", "csv", "bomb"])
    args = parser.parse_args()
    if args.case:
        run_case(args.case, args.rows, args.database_url)
        return
    print(f"Importing {args.rows:,} participants; target: under 10 s and 300 MB per step (2-core machine); "
          "a hostile file: refused, at most ~100 MB on top of the app")
    print(f"{'file':<22}{'size':>9}{'preview':>10}{'commit':>10}{'peak RSS':>11}{'+preview':>10}")
    for kind, label in (("xlsx", "XLSX"), ("csv", "CSV cp1252 ;"), ("bomb", "XLSX, a 150 MB cell")):
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
            output = subprocess.run([sys.executable, __file__, "--case", kind, "--rows", str(args.rows),
                                     "--database-url", url], capture_output=True, text=True, cwd=ROOT, check=True)
            result = json.loads(output.stdout.strip().splitlines()[-1])
        commit = f"{result['commit_s']:.2f}s" if "commit_s" in result else "—"
        refused = f"  refused: {result['refused']}" if "refused" in result else ""
        print(f"{label:<22}{result['file_kb']:>6} kB{result['preview_s']:>9.2f}s{commit:>10}"
              f"{result['peak_mb']:>8} MB{result['added_mb']:>7} MB{refused}")


if __name__ == "__main__":
    main()
