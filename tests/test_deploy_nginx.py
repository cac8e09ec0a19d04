"""The nginx configuration the README documents is the one in deploy/nginx/, which the load benchmark runs."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_blocks():
    """The README's nginx blocks, by the file each names on its first line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return {block.split("\n", 1)[0].rsplit("/", 1)[1]: block
            for block in re.findall(r"```nginx\n(.*?)```", text, re.S)}


def test_the_readme_and_deploy_nginx_say_the_same():
    blocks = readme_blocks()
    assert sorted(blocks) == ["capacita.conf", "capacita_proxy.conf"]
    for name, block in blocks.items():
        assert (ROOT / "deploy" / "nginx" / name).read_text(encoding="utf-8") == block


def test_the_benchmark_runs_a_configuration_nginx_accepts(tmp_path):
    """What benchmarks/deployed.py makes of deploy/nginx/: limit_req kept on the doors, the upstream its gunicorn."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import deployed

    conf = deployed.render(tmp_path, 18080, 18000, 1024)
    site = (tmp_path / "capacita.conf").read_text()
    assert "limit_req zone=capacita_doors burst=20 nodelay;" in site and "server 127.0.0.1:18000;" in site
    assert "limit_req zone=capacita_login burst=10 nodelay;" in site
    assert "listen 127.0.0.1:18080" in site and "ssl_certificate" not in site and "listen 80" not in site
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx is not installed")
    checked = subprocess.run([binary, "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def _free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_nginx_counts_login_attempts_not_views_of_the_login_page(tmp_path):
    """The app counts LOGIN_RATE_LIMIT on POSTs only (a staff member opening the page, or sent to it when their
    session ended, is no guess): nginx, limiting /login before the app, must not refuse the page itself. No app
    answers upstream here: what nginx lets through is a 502, what it refuses a 429."""
    import urllib.error
    import urllib.request

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.skip("nginx is not installed")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import deployed

    port = _free_port()

    def status(method):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/login", method=method,
                                         data=b"email=a" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with deployed.nginx(binary, tmp_path, port, _free_port(), 64):
        views = [status("GET") for _ in range(15)]
        guesses = [status("POST") for _ in range(15)]
    assert 429 not in views
    assert 429 in guesses  # the attempts themselves stay limited
