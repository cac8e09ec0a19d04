"""Time a 10,000-row participant import (XLSX and cp1252 CSV): preview and commit, with peak memory.

Run: .venv/bin/python benchmarks/import_participants.py [--rows 10000] [--database-url URL]
Each case runs in its own process so its peak memory (max RSS) is its own.
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


def run_case(kind, rows, database_url):
    """One import, measured; prints a JSON line."""
    import resource

    from flask_migrate import upgrade

    from app import create_app
    from extensions import db
    from training.countries import code_from_name
    from training.models import Delegation, Program
    from training.services_imports import apply_batch, plan_batch, store_upload

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": "b" * 40,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    content = make_file(kind, rows)
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

        started = time.perf_counter()
        plan = plan_batch(batch, max_rows=rows)
        preview_seconds = time.perf_counter() - started
        assert plan.clean, plan.error_rows[:3]

        started = time.perf_counter()
        summary = apply_batch(batch, None, max_rows=rows)
        db.session.commit()
        commit_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kind": kind, "rows": rows, "file_kb": round(len(content) / 1024),
                      "preview_s": round(preview_seconds, 2), "commit_s": round(commit_seconds, 2),
                      "created": summary["created"], "peak_mb": round(peak_mb)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--case", choices=["xlsx", "csv"])
    args = parser.parse_args()
    if args.case:
        run_case(args.case, args.rows, args.database_url)
        return
    print(f"Importing {args.rows:,} participants; target: under 10 s and 300 MB per step (2-core machine)")
    print(f"{'file':<14}{'size':>8}{'preview':>10}{'commit':>10}{'peak RSS':>11}")
    for kind, label in (("xlsx", "XLSX"), ("csv", "CSV cp1252 ;")):
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
            output = subprocess.run([sys.executable, __file__, "--case", kind, "--rows", str(args.rows),
                                     "--database-url", url], capture_output=True, text=True, cwd=ROOT, check=True)
            result = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"{label:<14}{result['file_kb']:>6} kB{result['preview_s']:>9.2f}s{result['commit_s']:>9.2f}s"
              f"{result['peak_mb']:>8} MB")


if __name__ == "__main__":
    main()
