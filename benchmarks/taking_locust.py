"""Locust users for benchmarks/taking_load.py: participants taking the pre-test, an attacker hammering the
rate-limited doors, and closed-loop autosave and insert."""
import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from http.cookiejar import DefaultCookiePolicy

import gevent
from locust import FastHttpUser, constant_throughput, events, task
from locust.exception import StopUser

TOKENS = [line.split() for line in open(os.environ["BENCH_TOKENS"], encoding="utf-8") if line.strip()]
TAKEN = itertools.count()
# Line-buffered: an acknowledgement is on disk as soon as it is received, whatever happens to the run later.
ACKS = open(os.environ["BENCH_ACKS"], "a", buffering=1, encoding="utf-8")
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "1,2").split(","))
EXPECTED_USERS = int(os.environ.get("BENCH_USERS", "0"))
FINISHED = itertools.count(1)
# Every request's latency, kept whole: Locust's own reports round them and its CSV lags the last second.
SAMPLES = defaultdict(lambda: {"ms": [], "t": [], "errors": [], "statuses": {}, "first": float("inf"),
                               "last": 0.0})
# The attacker hammers in every other window of BENCH_WINDOW seconds from BENCH_EPOCH, so that test takers'
# latencies with and without the attack come from the same run (this machine's speed drifts between runs).
EPOCH, WINDOW = float(os.environ.get("BENCH_EPOCH", "0")), float(os.environ.get("BENCH_WINDOW", "30"))
HAMMER_RATE = float(os.environ.get("BENCH_HAMMER_RATE", "2"))  # requests a second per attacking user
ATTACKERS = 20  # addresses the attack comes from: each meets the rate limits on its own
# In 198.18.0.0/15 (set aside for benchmarks), different for each run: the limits' hourly counts of an earlier
# run (they live in Redis) must not refuse this run's attack before it starts.
ATTACK_NET = f"198.{18 + int(EPOCH) % 2}.{int(EPOCH) // 2 % 256}"

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SEQ_BASE = re.compile(r'data-seq-base="(\d+)"')
FIELDSET = re.compile(r'<fieldset[^>]*data-question="(\d+)" data-type="([a-z_]+)"(.*?)</fieldset>', re.S)
CHOICE = re.compile(r'<input type="(?:radio|checkbox)" name="q\d+" value="([^"]*)"')
WORDS = ("migración", "contratación", "equitativa", "orientación", "empleo", "derechos", "niñez", "género")


@events.request.add_listener
def record(request_type, name, response_time, exception, response=None, **_kwargs):
    now, sample = time.time(), SAMPLES[name]
    sample["ms"].append(response_time)
    sample["t"].append(now - response_time / 1000)
    status = str(getattr(response, "status_code", None) or "none")
    sample["statuses"][status] = sample["statuses"].get(status, 0) + 1
    sample["first"], sample["last"] = min(sample["first"], now - response_time / 1000), now
    if exception is not None:
        sample["errors"].append(str(exception)[:200])


@events.quit.add_listener
def save_samples(**_kwargs):
    with open(os.environ["BENCH_RESULTS"], "w", encoding="utf-8") as results:
        json.dump(SAMPLES, results)


def csrf_of(html):
    match = CSRF.search(html)
    return match.group(1) if match else ""


def questions_of(html):
    """[(question id, type, option values)] as the test page lists them."""
    return [(int(qid), kind, CHOICE.findall(body)) for qid, kind, body in FIELDSET.findall(html)]


def answer_for(kind, options, rng):
    """A valid value of the kind the page's script would send (strings for radio and scale points)."""
    if kind == "multiple_choice":
        return sorted(rng.sample(options, rng.randint(1, len(options))))
    if kind in ("short_text", "long_text"):
        words = rng.randint(3, 40 if kind == "long_text" else 8)
        return " ".join(rng.choice(WORDS) for _ in range(words))
    return rng.choice(options)


def hammering(now):
    """Whether the attack runs at `now` (the odd windows)."""
    return int((now - EPOCH) // WINDOW) % 2 == 1


def forwarded_for(index):
    """A participant's own address, as the reverse proxy in front of gunicorn would pass it on."""
    return {"X-Forwarded-For": f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"}


def acknowledge(**fields):
    ACKS.write(json.dumps(fields, ensure_ascii=False) + "\n")


class LoopbackCookies(DefaultCookiePolicy):
    """Send the production config's Secure session cookie to the plain-http server on 127.0.0.1, as browsers do
    for localhost: TLS would only add a cost this benchmark is not about."""

    def return_ok_secure(self, cookie, request):
        return True


class TestTaker(FastHttpUser):
    """Shared steps: open the personal link, start a questionnaire, autosave like static/js/test.js does."""

    abstract = True
    kind = "pre"

    def on_start(self):
        index = next(TAKEN)
        while index >= len(TOKENS):
            # Locust replaces users that stop while it is still ramping up: one that found no link left waits
            # for the end of the run instead of being replaced, again and again.
            gevent.sleep(60)
        self.participant, self.token = int(TOKENS[index][0]), TOKENS[index][1]
        self.rng = random.Random(index)
        self.address = forwarded_for(index)
        self.client.cookiejar.set_policy(LoopbackCookies())

    def step(self, method, path, name, expect, **kwargs):
        """One request; anything but the `expect`ed status (and redirect target) is a failure that ends the user."""
        with self.client.request(method, path, name=name, catch_response=True, allow_redirects=False,
                                 headers=self.address, **kwargs) as response:
            location = (response.headers or {}).get("Location") or ""  # no headers: the connection failed
            if response.status_code != expect[0] or not location.endswith(expect[1] if len(expect) > 1 else ""):
                response.failure(f"{response.status_code} {location}".strip())
                raise StopUser()
            return response

    def open_link_and_start(self):
        page = self.step("GET", f"/p/{self.token}", "GET /p/[token]", (200,))
        self.think()
        self.step("POST", f"/p/{self.token}", "POST /p/[token]", (302, "/me"), data={"csrf_token": csrf_of(page.text)})
        self.step("GET", "/me", "GET /me", (200,))
        self.think()
        intro = self.step("GET", f"/me/tests/{self.kind}", f"GET /me/tests/{self.kind} (intro)", (200,))
        self.think()
        self.step("POST", f"/me/tests/{self.kind}/start", f"POST /me/tests/{self.kind}/start",
                  (302, f"/me/tests/{self.kind}"), data={"csrf_token": csrf_of(intro.text)})
        form = self.step("GET", f"/me/tests/{self.kind}", f"GET /me/tests/{self.kind} (form)", (200,))
        self.csrf = csrf_of(form.text)
        self.questions = questions_of(form.text)
        self.seq_base, self.loaded, self.last_seq = int(SEQ_BASE.search(form.text).group(1)), time.monotonic(), 0

    def next_seq(self):
        self.last_seq = max(self.last_seq + 1, self.seq_base + round((time.monotonic() - self.loaded) * 1000))
        return self.last_seq

    def autosave(self, question, kind, options):
        value, seq = answer_for(kind, options, self.rng), self.next_seq()
        name = f"POST /me/tests/{self.kind}/answers"
        with self.client.post(f"/me/tests/{self.kind}/answers", name=name, catch_response=True,
                              json={"question": question, "value": value, "seq": seq},
                              headers={"X-CSRFToken": self.csrf, **self.address}) as response:
            body = _json(response)
            if response.status_code != 200 or body.get("status") != "saved":
                response.failure(f"{response.status_code} {body.get('status')}")
                raise StopUser()
        if isinstance(body.get("seq_base"), int) and body["seq_base"] > self.seq_base:
            self.seq_base, self.loaded = body["seq_base"], time.monotonic()  # follow the server's clock, as test.js
        acknowledge(p=self.participant, k=self.kind, q=question, v=value, s=seq)

    def think(self):
        gevent.sleep(self.rng.uniform(*THINK))

    def unexpected(self, error):
        # Locust would only log it (and run the task again, with the same link): count it as an error and leave.
        self.environment.events.request.fire(request_type="ERROR", name="unexpected error", response_time=0,
                                             response_length=0, exception=error, context={})
        raise StopUser() from error


class ParticipantUser(TestTaker):
    """Opens the link, starts the pre-test, saves every answer once, reviews and submits; then leaves."""

    @task
    def take_the_test(self):
        acknowledge(p=self.participant, opened=time.time())
        try:
            self.open_link_and_start()
            for question, kind, options in self.questions:
                self.think()
                self.autosave(question, kind, options)
            self.think()
            review = self.step("GET", "/me/tests/pre/review", "GET /me/tests/pre/review", (200,))
            self.think()
            self.step("POST", "/me/tests/pre/submit", "POST /me/tests/pre/submit", (302, "/me/tests/pre/done"),
                      data={"csrf_token": csrf_of(review.text)})
            acknowledge(p=self.participant, k=self.kind, submitted=True, t=time.time())
            self.step("GET", "/me/tests/pre/done", "GET /me/tests/pre/done", (200,))
        except StopUser:
            raise
        except Exception as error:
            self.unexpected(error)
        finally:
            self.leave()
        raise StopUser()

    def leave(self):
        # Locust runs until its time limit; the last participant to leave ends the run instead.
        if next(FINISHED) == EXPECTED_USERS:
            gevent.spawn_later(0.5, self.environment.runner.quit)


class AutosaveUser(TestTaker):
    """Capacity: starts the post-test once, then saves answers back to back with no think time."""

    kind = "post"

    def on_start(self):
        super().on_start()
        try:
            self.open_link_and_start()
        except StopUser:
            raise
        except Exception as error:
            self.unexpected(error)

    @task
    def save_one(self):
        self.autosave(*self.rng.choice(self.questions))


class HammerUser(FastHttpUser):
    """An attacker guessing passwords, personal links and certificate codes, in every other window; answers
    other than the form again (wrong password), 404 (no such link or code) and 429 (too many) are errors."""

    wait_time = constant_throughput(HAMMER_RATE)
    attacker = itertools.count()
    doors = ("POST /login", "GET /p/[random]", "GET /verify/[random]")

    def on_start(self):
        self.address = {"X-Forwarded-For": f"{ATTACK_NET}.{next(self.attacker) % ATTACKERS + 1}"}
        self.client.cookiejar.set_policy(LoopbackCookies())
        self.csrf = ""
        self.doors_in_turn = itertools.cycle(self.doors)

    @task
    def knock(self):
        wait = WINDOW - (time.time() - EPOCH) % WINDOW
        if not hammering(time.time()):
            gevent.sleep(wait)  # until the attack's next window
        door = next(self.doors_in_turn)
        if door == "POST /login":
            self.guess_password()
        else:
            path = "/p/" if door == "GET /p/[random]" else "/verify/"
            self.expect(self.client.get(path + secrets_like(), name=door, headers=self.address,
                                        catch_response=True), (404, 429))

    def guess_password(self):
        if not self.csrf:  # a real attacker fetches the form once for its cookie and token
            # nginx may refuse it (429: many attacking users share an address's burst); try again next turn.
            with self.client.get("/login", name="GET /login (attacker)", headers=self.address,
                                 catch_response=True) as page:
                if page.status_code == 429:
                    page.success()
                    return
                self.csrf = csrf_of(page.text or "")
        data = {"csrf_token": self.csrf, "email": f"{secrets_like()[:10]}@example.org", "password": secrets_like()}
        self.expect(self.client.post("/login", name="POST /login", data=data, headers=self.address,
                                     catch_response=True), (200, 429))

    @staticmethod
    def expect(request, statuses):
        with request as response:
            if response.status_code in statuses:
                response.success()  # Locust counts any 4xx as a failure
            else:
                response.failure(f"{response.status_code}")


def secrets_like():
    """A random string shaped like a personal link's token or a certificate's code."""
    return "".join(random.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", k=43))


class MinimalUser(FastHttpUser):
    """Capacity: the same JSON body posted back to back to the minimal insert endpoint."""

    @task
    def insert(self):
        body = {"question": random.randint(1, 20), "value": random.choice(WORDS), "seq": time.monotonic_ns()}
        with self.client.post("/save", json=body, catch_response=True) as response:
            if response.status_code != 200 or _json(response).get("status") != "saved":
                response.failure(f"{response.status_code}")


def _json(response):
    try:
        return response.json() or {}
    except (ValueError, TypeError):  # not JSON, or no body at all (the connection failed)
        return {}
