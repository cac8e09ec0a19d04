"""Participants take the pre-test together, through nginx to gunicorn as deployed or at gunicorn directly, driven by
Locust; no acknowledged answer may be lost."""
import argparse
import collections
import copy
import io
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager, redirect_stderr
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(BENCH))

from cpu_budget import CpuMeter, budget_lines, family, postgres_server  # noqa: E402
from deployed import nginx, nginx_binary, wait_until_listening  # noqa: E402
from targets import recreate_database, verdicts  # noqa: E402

COUNTRIES = ("MX", "GT", "HN", "SV", "NI", "CR", "PA", "DO", "BZ", "CA", "US")
BENCH_DATABASE = "capacita_bench"  # never the test suite's capacita_test, nor the database DATABASE_URL names
# What the issue asks of each database: participants starting together, p95 target, and the minutes within
# which they all submit (a person needs minutes, not seconds, to answer 20 questions; see README).
DEFAULTS = {"sqlite": {"participants": 1000, "duration": 300, "ramp": 60, "p95": 500},
            "postgresql": {"participants": 10000, "duration": 900, "ramp": 120, "p95": 1000}}
TARGET_RATIO = 0.5
AUTOSAVE_POST = "POST /me/tests/post/answers"  # the capacity rounds save to the post-test
PRE_AUTOSAVE = "POST /me/tests/pre/answers"
REQUESTS_EACH = 29  # a participant's requests: 6 to open the link and start, 20 autosaves, review, submit, done
ATTACK_FACTOR, ATTACK_WINDOW = 3, 30  # the attack: 3× the test takers' requests, every other 30 s
# As nginx's keepalive_timeout: a participant's idle connection must not be closed just as their next answer is
# sent (a browser retries that request, a load generator counts it as an error).
KEEP_ALIVE_SECONDS = 75
STEPS = 25  # think times per participant: 5 between pages and 20 before answers

# PRE_TEST has 15 questions; this section brings the test to the 20 answers the scenario saves.
EXTRA_SECTION = {"title": {"es": "Su servicio", "en": "Your office"}, "questions": [
    {"type": "single_choice", "text": {"es": "¿Cuántos años lleva en su puesto?", "en": "Years in your post?"},
     "dimension": "expectations", "item_key": None, "correct": [], "points": 0, "required": True,
     "scale_labels": {}, "options": [{"key": k, "es": k, "en": k} for k in ("0-2", "3-5", "6-10", "10+")]},
    {"type": "single_choice", "text": {"es": "¿Cómo llegan las personas migrantes a su servicio?",
                                       "en": "How do migrants reach your office?"},
     "dimension": "expectations", "item_key": None, "correct": [], "points": 0, "required": True,
     "scale_labels": {}, "options": [{"key": k, "es": k, "en": k} for k in ("walk_in", "referral", "online")]},
    {"type": "likert", "text": {"es": "Me siento preparada/o para orientar a personas migrantes.",
                                "en": "I feel prepared to counsel migrants."},
     "dimension": "expectations", "item_key": None, "options": [], "correct": [], "points": 0, "required": True,
     "scale_labels": {"es": ["Nada", "Mucho"], "en": ["Not at all", "Very much"]}},
    {"type": "short_text", "text": {"es": "Su institución", "en": "Your institution"}, "dimension": "expectations",
     "item_key": None, "options": [], "correct": [], "points": 0, "required": False, "scale_labels": {}},
    {"type": "long_text", "text": {"es": "Un caso reciente", "en": "A recent case"}, "dimension": "expectations",
     "item_key": None, "options": [], "correct": [], "points": 0, "required": False, "scale_labels": {}},
]}


def bench_questionnaire():
    from assessments.demo_tests import PRE_TEST

    plain = copy.deepcopy(PRE_TEST)
    plain["sections"].append(copy.deepcopy(EXTRA_SECTION))
    return plain


# --- database ----------------------------------------------------------------------------------------------

@contextmanager
def bench_database(database_url, folder):
    """(capacita URL, minimal app URL): SQLite files in `folder`, or capacita_bench on DATABASE_URL's server,
    created empty and dropped afterwards."""
    if not database_url:
        yield f"sqlite:///{folder}/capacita.sqlite3", f"sqlite:///{folder}/minimal.sqlite3"
        return
    from sqlalchemy.engine import make_url

    server = make_url(database_url.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql+psycopg")
    maintenance = server.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    recreate_database(maintenance, BENCH_DATABASE, create=True)
    url = server.set(database=BENCH_DATABASE).render_as_string(hide_password=False)
    try:
        yield url, url
    finally:
        recreate_database(maintenance, BENCH_DATABASE, create=False)


def capacita_app(url, secret, public_url):
    from app import create_app

    return create_app({"CAPACITA_ENV": "production", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                       "PUBLIC_URL": public_url})


def set_up(app, participants, tokens_path):
    """Migrate, then a program with `participants` people, its pre- and post-test open now, one link each."""
    from flask_migrate import upgrade

    from assessments.services_builder import import_plain, open_now
    from extensions import db
    from training.services_links import ensure_link

    with app.app_context():
        with redirect_stderr(io.StringIO()):  # Alembic's INFO lines would bury the figures
            upgrade(directory=str(ROOT / "migrations"))
        program = _program(participants)
        for kind in ("pre", "post"):  # the post-test is only for the capacity run's repeated saves
            open_now(import_plain(program, None, bench_questionnaire(), kind=kind), None)
        people = _participants(program, participants)
        lines = [f"{person.id} {ensure_link(person, None).rsplit('/', 1)[1]}\n" for person in people]
        db.session.commit()
        db.engine.dispose()
    tokens_path.write_text("".join(lines), encoding="utf-8")


def _program(participants):
    from training.services import save_program

    today = date.today()
    return save_program(None, None, code="BENCH-TAKING", start_date=today, end_date=today + timedelta(days=14),
                        timezone="America/Mexico_City", languages=["es", "en"],
                        title={"es": "Prueba de carga", "en": "Load test"})


def _participants(program, count):
    from training.services import add_delegation, save_participant

    delegations = [add_delegation(program, None, kind="member", country_code=code, quota=count, status="confirmed")
                   for code in COUNTRIES]
    return [save_participant(None, None, program=program, delegation=delegations[index % len(COUNTRIES)],
                             given_names="Participante", family_names=f"Número {index}", position="Consejera",
                             institution="Servicio Nacional de Empleo", email=f"p{index}@bench.example.org",
                             gender=("female", "male")[index % 2], profile="employment_counselor",
                             language=("es", "en")[index % 5 == 0], timezone="")
            for index in range(count)]


def create_minimal_table(url):
    import minimal_app

    app = minimal_app.create_app(url)
    with app.app_context():
        minimal_app.db.create_all()
        minimal_app.db.engine.dispose()


# --- servers and load ----------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(target, port, args, env, log_path, folder=ROOT):
    """gunicorn serving `target` on 127.0.0.1:`port` until the block ends."""
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
               "--log-level", "warning", "--chdir", str(folder), *worker_setup(args), target]
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(server, port, "gunicorn", log_path)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def worker_setup(args):
    """As the README deploys them behind nginx (gthread: a password check, or the wait that stands in for one, holds
    a thread rather than the whole worker; keep-alive longer than nginx's 60 s for its idle upstream connections, so
    that gunicorn never closes one just as nginx reuses it), or gthread holding every participant's keep-alive
    connection itself."""
    if args.scenario == "deployed":
        # As README runs them; with --deployed-threads 1, sync workers (what README ran before) for comparison.
        return ["--threads", str(args.deployed_threads), "--worker-class", "gthread", "--keep-alive",
                str(KEEP_ALIVE_SECONDS)] if args.deployed_threads > 1 else []
    return ["--threads", str(args.threads), "--worker-class", "gthread", "--keep-alive", str(KEEP_ALIVE_SECONDS),
            "--worker-connections", str(worker_connections(args)), "--backlog", "4096"]


def worker_connections(args):
    """Room for every participant's and attacker's open connection: gthread stops accepting at its default
    1,000 per worker, and the rest would wait in the listen queue with their keep-alive unused."""
    return max(1000, 2 * (args.participants + args.attackers) // args.workers)


def limit_storage():
    """Redis, as the README's deploy section has several workers share their counts; memory if none answers."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379"
    except OSError:
        return "memory://"


def locust(user_class, host, users, spawn_rate, run_time, env, prefix):
    """Run Locust headless in its own process (it patches sockets with gevent); name → latencies (ms), their
    start times, errors, statuses, first request's start and last response's end."""
    start_locust(user_class, host, users, spawn_rate, run_time, env, prefix).wait()  # exit 1 on a failed request
    return locust_results(user_class, prefix)


def start_locust(user_class, host, users, spawn_rate, run_time, env, prefix):
    command = [sys.executable, "-m", "locust", "-f", str(BENCH / "taking_locust.py"), "--headless", "--host", host,
               "--users", str(users), "--spawn-rate", str(spawn_rate), "--run-time", f"{run_time}s",
               "--only-summary", "--loglevel", "WARNING", user_class]
    with open(f"{prefix}.log", "w") as log:
        return subprocess.Popen(command, env={**os.environ, **env, "BENCH_RESULTS": f"{prefix}.json"}, stdout=log,
                                stderr=subprocess.STDOUT, cwd=ROOT)


def locust_results(user_class, prefix):
    if "CPU usage above" in Path(f"{prefix}.log").read_text():
        print(f"  note: Locust reported its CPU above 90% during {user_class}: latencies include its own queueing")
    if not Path(f"{prefix}.json").exists():  # Locust did not run (not installed, or the locustfile failed)
        sys.exit(f"Locust wrote no results for {user_class}:\n{Path(f'{prefix}.log').read_text()[-3000:]}")
    return json.loads(Path(f"{prefix}.json").read_text())


def figures(samples):
    """Requests, errors, throughput over the requests' own time span, and latency percentiles (nearest rank)."""
    latencies = sorted(samples["ms"]) if samples else []
    if not latencies:  # no request of that name was made: an earlier step failed for everyone
        return {"requests": 0, "errors": 0, "rps": 0.0, "p50": None, "p95": None, "p99": None}
    span = samples["last"] - samples["first"]
    rank = {q: latencies[min(len(latencies) - 1, math.ceil(q / 100 * len(latencies)) - 1)] for q in (50, 95, 99)}
    return {"requests": len(latencies), "errors": len(samples["errors"]),
            "rps": len(latencies) / span if span else None, "p50": rank[50], "p95": rank[95], "p99": rank[99]}


def merged(results):
    """All names' samples as one."""
    return {"ms": [ms for s in results.values() for ms in s["ms"]],
            "errors": [e for s in results.values() for e in s["errors"]],
            "first": min(s["first"] for s in results.values()), "last": max(s["last"] for s in results.values())}


def error_lines(results):
    counts = collections.Counter((name, error) for name, s in results.items() for error in s["errors"])
    return [f"{count} × {name}: {error}" for (name, error), count in counts.most_common()]


# --- checks --------------------------------------------------------------------------------------------------

def read_acks(path):
    """(latest acknowledged save per (participant, kind, question), submitted participants, opening and submit
    times)."""
    saves, submitted, opened, finished = {}, set(), [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        ack = json.loads(line)
        if "q" in ack:
            key = (ack["p"], ack["k"], ack["q"])
            if key not in saves or saves[key]["s"] < ack["s"]:
                saves[key] = ack
        elif ack.get("submitted"):
            submitted.add(ack["p"])
            finished.append(ack["t"])
        elif "opened" in ack:
            opened.append(ack["opened"])
    return saves, submitted, opened, finished


def count_lost(app, saves, submitted):
    """(answers not in the database as acknowledged, acknowledged submits not recorded as submitted)."""
    from sqlalchemy import select

    from assessments.models import Answer, Attempt, Question, Questionnaire
    from extensions import db

    with app.app_context():
        specs = {question.id: question.spec() for question in db.session.scalars(select(Question))}
        rows = db.session.execute(select(Attempt.participant_id, Questionnaire.kind, Answer.question_id, Answer.value,
                                         Answer.seq).join(Attempt, Answer.attempt_id == Attempt.id)
                                  .join(Questionnaire, Attempt.questionnaire_id == Questionnaire.id))
        stored = {(p, kind, q): (value, seq) for p, kind, q, value, seq in rows}
        statuses = dict(db.session.execute(select(Attempt.participant_id, Attempt.status).join(Questionnaire)
                                           .where(Questionnaire.kind == "pre")).all())
        db.engine.dispose()
    lost = sum(not _kept(stored.get(key), ack, specs[key[2]]) for key, ack in saves.items())
    return lost, sum(statuses.get(p) != "submitted" for p in submitted)


def _kept(stored, ack, spec):
    from assessments.question_types import clean_answer

    if stored is None:
        return False
    value, seq = stored
    # A larger sequence number is a later save whose answer never reached the client (the run stopped).
    return seq > ack["s"] or (seq == ack["s"] and value == clean_answer(spec, ack["v"]))


# --- report --------------------------------------------------------------------------------------------------

def print_table(title, rows):
    print(f"\n{title}")
    print(f"  {'':<34}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label, row in rows:
        cells = [f"{row[k]:>9.0f}" if row[k] is not None else f"{'—':>9}" for k in ("p50", "p95", "p99")]
        rate = f"{row['rps']:>9.1f}" if row["rps"] is not None else f"{'—':>9}"  # no time span to divide by
        print(f"  {label:<34}{row['requests']:>9,}{row['errors']:>8,}{rate}{''.join(cells)}")


# --- the run -------------------------------------------------------------------------------------------------

def parse_args(database):
    parser = argparse.ArgumentParser(description=__doc__ + " DATABASE_URL selects PostgreSQL (the benchmark "
                                     f"creates and drops {BENCH_DATABASE} on that server); SQLite otherwise.")
    defaults = DEFAULTS[database]
    parser.add_argument("--participants", type=int, default=defaults["participants"])
    parser.add_argument("--duration", type=int, default=defaults["duration"], help="seconds from the first link "
                        "opened to the last submit (think times are scaled to fit)")
    parser.add_argument("--ramp", type=int, default=defaults["ramp"], help="seconds within which everyone opens "
                        "the link")
    parser.add_argument("--attack-factor", type=float, default=ATTACK_FACTOR, help="the attack's requests over the "
                        "test takers' (0: no attack)")
    parser.add_argument("--scenario", choices=("deployed", "gunicorn"), default=os.environ.get("BENCH_SCENARIO",
                        "deployed"), help="deployed: nginx with deploy/nginx/ in front of sync workers, as the "
                        "README's Deploy section (nginx installed with apt-get where possible); gunicorn: the load at "
                        "gunicorn (gthread) directly (default: BENCH_SCENARIO, else deployed)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--deployed-threads", type=int, default=4, help="deployed scenario: threads per gunicorn "
                        "worker (gthread, as README deploys them; 1: sync workers)")
    parser.add_argument("--capacity-users", type=int, default=50,
                        help="users saving back to back, for autosave and for the minimal endpoint alike")
    parser.add_argument("--capacity-seconds", type=int, default=10, help="length of one capacity round")
    parser.add_argument("--capacity-rounds", type=int, default=3)
    args = parser.parse_args()
    args.capacity_users = min(args.capacity_users, args.participants)  # each needs a link of its own
    args.p95_target = defaults["p95"]
    args.target_participants, args.target_duration = defaults["participants"], defaults["duration"]
    args.mean_think = (args.duration - args.ramp) * 0.75 / STEPS
    # The attack's rate: ATTACK_FACTOR × the test takers' mean rate, each attacking user sending 2 a second.
    mean_rate = args.participants * REQUESTS_EACH / (args.ramp / 2 + STEPS * args.mean_think)
    args.attackers = math.ceil(args.attack_factor * mean_rate / 2)
    return args


def run_scenario(args, port, env, folder, server_roles):
    """Everyone opens the link within the ramp and paces 25 think times to submit within the duration, while an
    attacker hammers the login, personal links and certificate codes every other window; (scenario's samples,
    attack's samples, epoch, and the CPU meter that watched it)."""
    think = f"{args.mean_think * 0.5:.2f},{args.mean_think * 1.5:.2f}"
    print(f"Scenario: {args.participants:,} participants, all links opened within {args.ramp} s, think time "
          f"{think.replace(',', '–')} s between steps, 20 autosaves each; meanwhile {args.attackers} attacking users "
          f"(2 requests/s each, from 20 addresses) in every other {ATTACK_WINDOW} s window")
    host, epoch = f"http://127.0.0.1:{port}", time.time()
    load_env = {**env, "BENCH_THINK": think, "BENCH_USERS": str(args.participants), "BENCH_EPOCH": str(epoch),
                "BENCH_WINDOW": str(ATTACK_WINDOW), "BENCH_HAMMER_RATE": "2"}
    attack = args.attackers and start_locust("HammerUser", host, args.attackers, args.attackers,
                                             args.duration + 120, load_env, folder / "attack")
    takers = start_locust("ParticipantUser", host, args.participants, max(1, args.participants // args.ramp),
                          args.duration + 120, load_env, folder / "scenario")
    roles = {**server_roles, "load generator": family(takers.pid),
             "attacker": family(attack.pid) if attack else list}
    with CpuMeter(roles) as meter:
        takers.wait()  # exit 1 on a failed request
        if attack:
            attack.terminate()  # Locust stops on SIGTERM and still writes its results
            attack.wait(timeout=60)
    scenario = locust_results("ParticipantUser", folder / "scenario")
    return scenario, locust_results("HammerUser", folder / "attack") if attack else {}, epoch, meter


def run_capacity(user_class, args, port, env, prefix):
    return locust(user_class, f"http://127.0.0.1:{port}", args.capacity_users, args.capacity_users,
                  args.capacity_seconds, env, prefix)


def main():
    database_url = os.environ.get("DATABASE_URL", "")
    args = parse_args("postgresql" if database_url else "sqlite")
    args.nginx = None
    if args.scenario == "deployed":
        args.nginx, why_not = nginx_binary()
        if why_not:  # `make bench` still measures the app, and says plainly which scenario it could not run
            print(f"Deployed scenario skipped: {why_not}. Running the gunicorn scenario instead.")
            args.scenario = "gunicorn"
    keep = os.environ.get("BENCH_KEEP")  # a folder to keep the logs and results in, for a look afterwards
    folder_for_run = _kept_folder(keep) if keep else tempfile.TemporaryDirectory()
    with folder_for_run as name, bench_database(database_url, name) as (url, minimal_url):
        folder = Path(name)
        storage = limit_storage()
        print(f"Database: {'PostgreSQL ' + BENCH_DATABASE if database_url else 'SQLite (WAL), a temporary file'}")
        print(server_line(args, storage))
        port, secret = free_port(), secrets.token_urlsafe(48)
        app = capacita_app(url, secret, f"http://127.0.0.1:{port}")
        started = time.perf_counter()
        set_up(app, args.participants, folder / "tokens.txt")
        create_minimal_table(minimal_url)
        print(f"Set up {args.participants:,} participants and their links in {time.perf_counter() - started:.1f} s")
        results = measure(args, port, (url, minimal_url, storage), secret, folder)
        print_server_errors(folder)
        saves, submitted, opened, finished = read_acks(folder / "acks.jsonl")
        lost, unsubmitted = count_lost(app, saves, submitted)
    report(args, results, saves, submitted, (opened, finished), (lost, unsubmitted))


def deployed_workers(args):
    if args.deployed_threads > 1:
        return f"{args.workers} workers × {args.deployed_threads} threads (gthread)"
    return f"{args.workers} sync workers"


def server_line(args, storage):
    limits = (f"CAPACITA_ENV=production, rate limits as configured, counted in {storage.split(':')[0]}, per address "
              "from X-Forwarded-For (TRUSTED_PROXIES=1: each participant comes from an address of its own)")
    if args.scenario == "deployed":
        return (f"Scenario: deployed. nginx (deploy/nginx/, as README's Deploy section; plain HTTP on loopback, no TLS;"
                f" the participant's address from X-Forwarded-For through real_ip) in front of gunicorn on 127.0.0.1, "
                f"{deployed_workers(args)}; {limits}")
    return (f"Scenario: gunicorn. gunicorn on 127.0.0.1, {args.workers} workers × {args.threads} threads (gthread), "
            f"keep-alive {KEEP_ALIVE_SECONDS} s, {worker_connections(args):,} connections per worker; {limits}")


@contextmanager
def _kept_folder(path):
    Path(path).mkdir(parents=True, exist_ok=True)
    yield path


def measure(args, port, urls, secret, folder):
    url, minimal_url, storage = urls
    server_env = {"CAPACITA_ENV": "production", "SECRET_KEY": secret, "PUBLIC_URL": f"http://127.0.0.1:{port}",
                  "DATABASE_URL": url, "RATELIMIT_STORAGE_URI": storage, "TRUSTED_PROXIES": "1"}
    load_env = {"BENCH_TOKENS": str(folder / "tokens.txt"), "BENCH_ACKS": str(folder / "acks.jsonl")}
    minimal_port, app_port = free_port(), free_port() if args.scenario == "deployed" else port
    with gunicorn("app:create_app()", app_port, args, server_env, folder / "gunicorn.log") as server, \
            gunicorn("minimal_app:create_app()", minimal_port, args, {"MINIMAL_DATABASE_URL": minimal_url},
                     folder / "minimal.log", folder=BENCH), ExitStack() as stack:
        server_roles = {"server": family(server.pid),
                        "database": postgres_server() if url.startswith("postgresql") else list}
        if args.scenario == "deployed":  # the participants and the attacker at nginx, which passes on to gunicorn
            proxy = stack.enter_context(nginx(args.nginx, folder / "nginx", port, app_port,
                                              2 * (args.participants + args.attackers) + 1024))
            server_roles["proxy (nginx)"] = family(proxy.pid)
        scenario, attack, epoch, cpu = run_scenario(args, port, load_env, folder, server_roles)
        print(f"Capacity: {args.capacity_rounds} rounds of {args.capacity_users} users saving back to back for "
              f"{args.capacity_seconds} s, to autosave then to the minimal Flask + SQLAlchemy insert endpoint "
              "(alternating, so that a drift in the machine's speed affects both alike)")
        autosave, minimal = [], []
        for index in range(args.capacity_rounds):
            autosave.append(run_capacity("AutosaveUser", args, app_port, load_env, folder / f"autosave-{index}"))
            minimal.append(run_capacity("MinimalUser", args, minimal_port, load_env, folder / f"minimal-{index}"))
    return {"scenario": scenario, "attack": attack, "epoch": epoch, "autosave": autosave, "minimal": minimal,
            "cpu": cpu}


def print_server_errors(folder):
    """The servers' tracebacks, if any request failed on their side: the temporary folder goes with the run."""
    for log in ("gunicorn.log", "minimal.log"):
        text = (folder / log).read_text(encoding="utf-8", errors="replace")
        tracebacks = text.count("Traceback (most recent call last)")
        if tracebacks:
            start = text.index("Traceback (most recent call last)")
            print(f"\n{log}: {tracebacks} traceback(s); the first:\n{text[start:start + 4000]}")


def pooled(rounds, name):
    """One name's samples over several rounds: latencies together, throughput over the rounds' summed time."""
    samples = [r[name] for r in rounds if name in r]
    if not samples:
        return figures(None)
    row = figures({"ms": [ms for s in samples for ms in s["ms"]], "errors": [e for s in samples for e in s["errors"]],
                   "first": 0.0, "last": 1.0})
    span = sum(s["last"] - s["first"] for s in samples)
    return {**row, "rps": row["requests"] / span if span else 0.0}



def split_by_attack(samples, epoch):
    """(samples sent while the attack ran, samples sent between its windows), over all names."""
    halves = ({"ms": [], "errors": []}, {"ms": [], "errors": []})
    for sample in samples.values():
        for ms, start in zip(sample["ms"], sample["t"], strict=True):
            halves[0 if int((start - epoch) // ATTACK_WINDOW) % 2 == 1 else 1]["ms"].append(ms)
    for half in halves:
        half["first"], half["last"] = 0.0, 0.0  # these rows report latencies; throughput is not comparable
    return halves


def by_window(sample, epoch):
    """One row per attack window and per quiet one, in order: where in the run the latencies come from."""
    windows = collections.defaultdict(lambda: {"ms": [], "errors": [], "first": 0.0, "last": ATTACK_WINDOW})
    for ms, start in zip(sample["ms"], sample["t"], strict=True):
        windows[int((start - epoch) // ATTACK_WINDOW)]["ms"].append(ms)
    return [(f"{index * ATTACK_WINDOW:>4}–{(index + 1) * ATTACK_WINDOW} s, {'attacked' if index % 2 else 'quiet'}",
             figures(windows[index])) for index in sorted(windows)]


def attack_rows(attack):
    """Each door's figures, and how often each status came back."""
    rows = [(name, figures(sample)) for name, sample in sorted(attack.items())]
    statuses = collections.Counter()
    for sample in attack.values():
        statuses.update(sample["statuses"])
    return rows, statuses


def not_slowed(during, between):
    """The attack's windows may cost test takers at most 20% (or 50 ms) at the 95th percentile."""
    return during is not None and between is not None and during <= max(1.2 * between, between + 50)


def report(args, results, saves, submitted, times, lost_counts):
    scenario, autosave, minimal = results["scenario"], results["autosave"], results["minimal"]
    everything = figures(merged(scenario)) if scenario else figures(None)
    steps = sorted(scenario, key=lambda name: scenario[name]["first"])  # in the order participants take them
    print_table("Scenario, by step", [(name, figures(scenario[name])) for name in steps]
                + [("all requests", everything)])
    during, between = (figures(half) for half in split_by_attack(scenario, results["epoch"]))
    # Autosaves are spread evenly over the windows; page loads crowd into the ramp's first minute or two, and so
    # into whichever windows it covers: the verdict compares autosaves.
    saving = {PRE_AUTOSAVE: scenario.get(PRE_AUTOSAVE, {"ms": [], "t": []})}
    saves_during, saves_between = (figures(half) for half in split_by_attack(saving, results["epoch"]))
    rows, statuses = attack_rows(results["attack"])
    attack_requests = sum(row["requests"] for _name, row in rows)
    print_table("Test takers with and without the attack (latencies only)",
                [("all requests, while attacked", during), ("all requests, between attacks", between),
                 ("autosaves, while attacked", saves_during), ("autosaves, between attacks", saves_between)])
    if results["attack"]:
        print_table("Autosaves by window (the ramp's page loads crowd into the first ones)",
                    by_window(saving[PRE_AUTOSAVE], results["epoch"]))
    print_table("The attack", rows)
    print(f"  statuses: {', '.join(f'{status} × {count:,}' for status, count in sorted(statuses.items()))}")
    factor = attack_requests / during["requests"] if during["requests"] else 0.0
    print(f"  {attack_requests:,} attack requests against {during['requests']:,} test takers' requests in the "
          f"same windows: {factor:.1f}×")
    per_round = [(figures(a.get(AUTOSAVE_POST)), figures(m.get("/save"))) for a, m in zip(autosave, minimal,
                                                                                             strict=True)]
    capacity = pooled(autosave, AUTOSAVE_POST), pooled(minimal, "/save")
    print_table("Capacity (no think time)",
                [row for index, (a, m) in enumerate(per_round, 1)
                 for row in ((f"round {index}: autosave", a), (f"round {index}: minimal insert", m))]
                + [("all rounds: autosave", capacity[0]), ("all rounds: minimal insert", capacity[1])])
    attack = results["attack"]
    meter = results["cpu"]
    print("\nCPU during the scenario (sampled per process each second)")
    for line in budget_lines(meter.seconds, everything["requests"], REQUESTS_EACH, meter.wall_seconds,
                             (args.target_participants, args.target_duration)):
        print(line)
    for line in [line for r in (scenario, attack, *autosave, *minimal) for line in error_lines(r)]:
        print(f"  error: {line}")
    opened, finished = times
    span = max(finished) - min(opened) if finished and opened else float("nan")
    lost, unsubmitted = lost_counts
    ratio = capacity[0]["rps"] / capacity[1]["rps"] if capacity[1]["rps"] else 0.0
    print(f"\nlost: {lost} of {len(saves):,} acknowledged answers; {unsubmitted} acknowledged submits not recorded")
    print(f"submitted: {len(submitted):,} of {args.participants:,}, {span:.1f} s from the first link opened to "
          f"the last submit")
    rounds = ", ".join(f"{a['rps'] / m['rps']:.2f}" if m["rps"] else "—" for a, m in per_round)
    print(f"autosave throughput: {figures(scenario.get(PRE_AUTOSAVE))['rps']:.1f} req/s in the scenario; capacity "
          f"ratio autosave / minimal insert: {ratio:.2f} (rounds: {rounds})")
    errors = sum(len(s["errors"]) for r in (scenario, attack, *autosave, *minimal) for s in r.values())
    attacked = [] if not args.attackers else [
        (f"test takers not slowed by {factor:.1f}× attack traffic: autosave p95 {saves_during['p95'] or 0:.0f} ms "
         f"while attacked, {saves_between['p95'] or 0:.0f} ms between",
         factor >= args.attack_factor and not_slowed(saves_during["p95"], saves_between["p95"]))]
    passed = verdicts([
        (f"p95 of all scenario requests < {args.p95_target} ms ({everything['p95'] or 0:.0f} ms)",
         everything["p95"] is not None and everything["p95"] < args.p95_target),
        (f"0 errors, the attack's included ({errors})", errors == 0),
        (f"0 lost ({lost + unsubmitted})", lost + unsubmitted == 0),
        (f"every participant submitted within {args.duration} s ({len(submitted):,} in {span:.1f} s)",
         len(submitted) == args.participants and span <= args.duration),
        *attacked,
        (f"autosave throughput ≥ {TARGET_RATIO} × minimal endpoint ({ratio:.2f})", ratio >= TARGET_RATIO),
    ])
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
