"""A participant's journey in process (Flask test client): CPU ms per request, per journey, per autosave, next to
the minimal Flask + SQLAlchemy insert measured in the same run."""
import argparse
import logging
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "benchmarks"))

from targets import verdicts  # noqa: E402

AUTOSAVE_RATIO, JOURNEY_MS = 1.5, 30  # issue 28: autosave ≤ 1.5× the minimal insert; a journey ≤ 30 ms of CPU
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELDSET = re.compile(r'<fieldset[^>]*data-question="(\d+)" data-type="([a-z_]+)"(.*?)</fieldset>', re.S)
CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="q\d+" value="([^"]*)"')
# The production config's session cookie is Secure: the client speaks https, as a browser behind nginx would.
HTTPS = {"wsgi.url_scheme": "https"}


def timed(samples, name, call, expect):
    """Run one request, adding its CPU ms to samples[name]; the status must be `expect`."""
    started = time.process_time()
    response = call()
    samples[name].append(1000 * (time.process_time() - started))
    if response.status_code != expect:
        sys.exit(f"{name}: {response.status_code} (expected {expect}) {response.headers.get('Location', '')}")
    return response


def csrf_of(response):
    return CSRF.search(response.get_data(as_text=True)).group(1)


def answer_for(kind, options, index):
    if kind == "multiple_choice":
        return options[:1 + index % len(options)]
    if kind in ("short_text", "long_text"):
        return f"respuesta {index} sobre orientación y empleo"
    return options[index % len(options)]


def journey(app, index, token, samples):
    """One participant, as benchmarks/taking_locust.py's ParticipantUser: 29 requests."""
    client = app.test_client()
    client.environ_base.update(HTTPS)
    # Each from their own address, as the reverse proxy passes it on: the link's rate limit counts per address.
    address = f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"
    client.environ_base.update(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=address)
    page = timed(samples, "GET /p/[token]", lambda: client.get(f"/p/{token}"), 200)
    timed(samples, "POST /p/[token]", lambda: client.post(f"/p/{token}", data={"csrf_token": csrf_of(page)}), 302)
    timed(samples, "GET /me", lambda: client.get("/me"), 200)
    intro = timed(samples, "GET /me/tests/pre (intro)", lambda: client.get("/me/tests/pre"), 200)
    timed(samples, "POST /me/tests/pre/start",
          lambda: client.post("/me/tests/pre/start", data={"csrf_token": csrf_of(intro)}), 302)
    form = timed(samples, "GET /me/tests/pre (form)", lambda: client.get("/me/tests/pre"), 200)
    csrf, html = csrf_of(form), form.get_data(as_text=True)
    questions = [(int(qid), kind, CHOICE.findall(body)) for qid, kind, body in FIELDSET.findall(html)]
    seq = int(re.search(r'data-seq-base="(\d+)"', html).group(1))
    for index, (question, kind, options) in enumerate(questions):
        seq += 1000
        body = {"question": question, "value": answer_for(kind, options, index), "seq": seq}
        timed(samples, "POST /me/tests/pre/answers",
              lambda body=body: client.post("/me/tests/pre/answers", json=body, headers={"X-CSRFToken": csrf}), 200)
    review = timed(samples, "GET /me/tests/pre/review", lambda: client.get("/me/tests/pre/review"), 200)
    timed(samples, "POST /me/tests/pre/submit",
          lambda: client.post("/me/tests/pre/submit", data={"csrf_token": csrf_of(review)}), 302)
    timed(samples, "GET /me/tests/pre/done", lambda: client.get("/me/tests/pre/done"), 200)
    return len(questions)


def minimal_inserts(url, count):
    """CPU ms of each of `count` JSON POSTs to the minimal app."""
    import minimal_app

    app = minimal_app.create_app(url)
    with app.app_context():
        minimal_app.db.create_all()
    client, samples = app.test_client(), defaultdict(list)
    for index in range(count):
        timed(samples, "POST /save", lambda index=index: client.post(
            "/save", json={"question": index % 20, "value": "respuesta", "seq": index}), 200)
    return samples["POST /save"]


def capacita(folder, participants):
    """The app on a fresh SQLite file, set up as benchmarks/taking_load.py does; the participants' tokens."""
    from taking_load import capacita_app, set_up

    settings = (f"sqlite:///{folder}/capacita.sqlite3", secrets.token_hex(32), "https://capacita.example.org")
    set_up(capacita_app(*settings), participants, folder / "tokens.txt")
    # A second app for the journeys, as a server starts after `flask db upgrade` in a process of its own: Alembic's
    # logging set-up (fileConfig), run in this process by set_up, replaced the app's log handler with its own and
    # turned the access log off. Deployed, every request writes its access line once, and so it does here (to
    # os.devnull, see main).
    logging.getLogger().handlers.clear()
    return capacita_app(*settings), [line.split()[1] for line in (folder / "tokens.txt").read_text().splitlines()]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--warm-up", type=int, default=5, help="journeys not counted (first-request compilation)")
    parser.add_argument("--profile", help="write a cProfile of the counted journeys to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="capacita-journey-") as folder:
        folder = Path(folder)
        # First: the app's checks on undeclared writes listen on every engine once it exists (they would refuse
        # the minimal app's insert).
        minimal_inserts(f"sqlite:///{folder}/minimal.sqlite3", 100)
        minimal = minimal_inserts(f"sqlite:///{folder}/minimal.sqlite3", 20 * args.participants)
        app, tokens = capacita(folder, args.participants + args.warm_up)
        ignored, samples = defaultdict(list), defaultdict(list)
        # Each request writes its access line, as deployed: to os.devnull here, not over the figures.
        with open(os.devnull, "w", encoding="utf-8") as discarded, redirect_stdout(discarded):
            for index, token in enumerate(tokens[:args.warm_up]):
                journey(app, index, token, ignored)
            profiler = None
            if args.profile:
                import cProfile
                profiler = cProfile.Profile()
                profiler.enable()
            for index, token in enumerate(tokens[args.warm_up:], start=args.warm_up):
                journey(app, index, token, samples)
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
    report(samples, minimal, args.participants)


def report(samples, minimal, participants):
    print(f"\nA participant's journey in process (SQLite, Flask test client), {participants} participants; "
          "CPU ms per request")
    print(f"  {'request':<32}{'count':>7}{'median':>9}{'mean':>9}")
    for name, values in samples.items():
        print(f"  {name:<32}{len(values):>7}{statistics.median(values):>9.2f}{statistics.fmean(values):>9.2f}")
    requests = sum(len(values) for values in samples.values()) // participants
    journey_ms = sum(sum(values) for values in samples.values()) / participants
    autosave, insert = statistics.median(samples["POST /me/tests/pre/answers"]), statistics.median(minimal)
    floor = insert * requests
    print(f"  {'POST /save (minimal app)':<32}{len(minimal):>7}{insert:>9.2f}{statistics.fmean(minimal):>9.2f}")
    print(f"\n  journey: {journey_ms:.1f} ms of CPU for {requests} requests (floor, {requests} minimal inserts: "
          f"{floor:.1f} ms); autosave {autosave:.2f} ms against {insert:.2f} ms: {autosave / insert:.2f}×")
    ok = verdicts([(f"autosave ≤ {AUTOSAVE_RATIO}× the minimal insert: {autosave / insert:.2f}×",
                    autosave <= AUTOSAVE_RATIO * insert),
                   (f"a journey ≤ {JOURNEY_MS} ms of CPU: {journey_ms:.1f} ms ({journey_ms / JOURNEY_MS:.2f}× the "
                    f"target)", journey_ms <= JOURNEY_MS)])
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
