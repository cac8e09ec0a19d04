"""CPU seconds spent by the server, the database and the load generators during a benchmark scenario."""
import os
import threading
import time

import psutil


class CpuMeter:
    """Samples, every `interval` seconds, the CPU time of the processes each role names, and adds up the growth.

    Processes come and go (PostgreSQL starts a backend per connection, gunicorn may replace a worker): each one is
    counted from its first sample (a process first seen mid-run is counted whole: it started during the run) to its
    last, so a process that ends between two samples loses at most one interval."""

    def __init__(self, roles, interval=1.0):
        self.roles = roles  # role → callable returning the pids that belong to it now
        self.interval = interval
        self.seconds = dict.fromkeys(roles, 0.0)
        self.wall_seconds = 0.0
        self._last = {}  # process → its CPU seconds at the previous sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._started = time.monotonic()
        self._sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.wall_seconds = time.monotonic() - self._started

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self, first=False):
        for role, pids in self.roles.items():
            for pid in pids():
                try:
                    # psutil tells processes apart by pid and start time: a pid handed out again is a new key.
                    process = psutil.Process(pid)
                    times = process.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                used = times.user + times.system
                # A process already running when the meter starts is counted from then on, not since its start.
                before = self._last.get(process, used if first else 0.0)
                self.seconds[role] += used - before
                self._last[process] = used


def family(pid):
    """A function giving `pid` and its children now (gunicorn's master and workers)."""
    def pids():
        try:
            parent = psutil.Process(pid)
            return [pid, *(child.pid for child in parent.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []
    return pids


def postgres_server():
    """A function giving PostgreSQL's processes now: the backends serving the run and the writers, checkpointer
    and autovacuum that do the rest of its writing (the benchmark is the only client meanwhile)."""
    def pids():
        return [process.pid for process in psutil.process_iter(["name"]) if process.info["name"] == "postgres"]
    return pids


def budget_lines(seconds, requests, requests_each, wall_seconds, target):
    """What each role cost per test taker's request served (the attack's cost included), the cores the run used,
    and what the target scenario (participants, seconds) would need at that rate. Per request, not per person: in
    an overloaded run many participants never get through all their requests."""
    total, cores = sum(seconds.values()), os.cpu_count() or 1
    if not requests:
        return [f"  {total:,.1f} CPU-s in {wall_seconds:,.0f} s, and no test taker's request answered"]
    lines = [f"  {role:<16}{used:>9.1f} CPU-s {1000 * used / requests:>8.2f} ms per test taker's request"
             for role, used in seconds.items() if used > 0]
    lines.append(f"  in all: {total:,.1f} CPU-s in {wall_seconds:,.0f} s: {total / wall_seconds:.2f} cores on average "
                 f"of this machine's {cores}")
    per_person = total / requests * requests_each
    participants, within = target
    needed = per_person * participants
    lines.append(f"  a participant's {requests_each} requests cost {1000 * per_person:.0f} ms of CPU: {participants:,} "
                 f"within {within} s need {needed:,.0f} CPU-s, {needed / within:.2f} cores on average before the "
                 "ramp's peak")
    return lines
