"""CPU seconds spent by the server, the database and the load generators during a benchmark scenario."""
import os
import threading

import psutil

ROLES = ("server", "database", "load generator", "attacker")


class CpuMeter:
    """Samples, every `interval` seconds, the CPU time of the processes each role names, and adds up the growth.

    Processes come and go (PostgreSQL starts a backend per connection, gunicorn may replace a worker): each one is
    counted from its first sample (a process first seen mid-run is counted whole: it started during the run) to its
    last, so a process that ends between two samples loses at most one interval."""

    def __init__(self, roles, interval=1.0):
        self.roles = roles  # role → callable returning the pids that belong to it now
        self.interval = interval
        self.seconds = dict.fromkeys(roles, 0.0)
        self._last, self._processes = {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._sample(first=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self, first=False):
        for role, pids in self.roles.items():
            for pid in pids():
                used = self._cpu_of(pid)
                if used is None:
                    continue
                # A process already running when the meter starts is counted from then on, not since its start.
                before = self._last.get(pid, used if first else 0.0)
                self.seconds[role] += used - before
                self._last[pid] = used

    def _cpu_of(self, pid):
        try:
            process = self._processes.setdefault(pid, psutil.Process(pid))
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            return None
        return times.user + times.system


def family(pid):
    """A function giving `pid` and its children now (gunicorn's master and workers)."""
    def pids():
        try:
            parent = psutil.Process(pid)
            return [pid, *(child.pid for child in parent.children(recursive=True))]
        except psutil.NoSuchProcess:
            return []
    return pids


def postgres_backends(database):
    """A function giving the PostgreSQL backends connected to `database` now (their title names it)."""
    def pids():
        found = []
        for process in psutil.process_iter(["cmdline"]):
            title = " ".join(process.info["cmdline"] or ())
            if title.startswith("postgres:") and f" {database} " in f"{title} ":
                found.append(process.pid)
        return found
    return pids


def budget_lines(seconds, participants, wall_seconds, target_participants, target_seconds):
    """What each role cost per participant, the cores the run used on average, and what the target would need."""
    total = sum(seconds.values())
    cores = os.cpu_count() or 1
    per_person = {role: 1000 * used / participants for role, used in seconds.items() if used > 0}
    lines = [f"  {role:<16}{used:>9.1f} CPU-s {per_person[role]:>9.1f} ms per participant"
             for role, used in seconds.items() if used > 0]
    per_target = total / participants * target_participants
    lines.append(f"  in all: {total:,.1f} CPU-s in {wall_seconds:,.0f} s, {total / wall_seconds:.2f} cores on average "
                 f"of this machine's {cores}")
    lines.append(f"  at {1000 * total / participants:.0f} ms per participant, {target_participants:,} participants "
                 f"within {target_seconds} s need {per_target:,.0f} CPU-s: {per_target / target_seconds:.2f} cores on "
                 "average, before the ramp's peak")
    return lines
