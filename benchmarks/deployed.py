"""nginx from Debian with the README's configuration (deploy/nginx/), in front of a benchmark's gunicorn."""
import http.client
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
# What the benchmark changes in the README's files, each expected exactly once: a loopback port instead of TLS on
# 443 (no certificate here, and Locust would spend its CPU on handshakes), no port-80 redirect, the benchmark's
# gunicorn and this run's copy of the proxy settings.
HTTPS_SERVER = "    listen 443 ssl http2;\n"
CERTIFICATE_LINES = ("    ssl_certificate /etc/letsencrypt/live/capacita.example.org/fullchain.pem;\n",
                     "    ssl_certificate_key /etc/letsencrypt/live/capacita.example.org/privkey.pem;\n")
REDIRECT_SERVER = ("server {\n    listen 80;\n    server_name capacita.example.org;\n"
                   "    return 301 https://$host$request_uri;\n}\n\n")
UPSTREAM = "    server 127.0.0.1:8000;\n"
PROXY_INCLUDE = "include /etc/nginx/capacita_proxy.conf;"
# In the place of Debian's /etc/nginx/nginx.conf. The load generator plays each participant from an address of
# its own through X-Forwarded-For; real_ip makes that nginx's $remote_addr, as a participant's own address would
# be, so that limit_req counts per participant and the app reads it as the entry nginx appends.
MAIN_CONF = """worker_processes auto;
worker_rlimit_nofile {files};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{ worker_connections {connections}; }}

http {{
    access_log off;
    sendfile on;
    keepalive_timeout {keep_alive}s;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    set_real_ip_from 127.0.0.1;
    real_ip_header X-Forwarded-For;
    include {folder}/capacita.conf;
}}
"""


def nginx_binary():
    """(nginx's path, None), installing Debian's package where this runs as root with apt; else (None, why not)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found:
        return found, None
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "nginx is not installed, and installing it needs root and apt-get (apt-get install nginx)"
    print("Installing nginx (apt-get install -y nginx)")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx"]):
        done = subprocess.run(command, env=environment, capture_output=True, text=True)
        if done.returncode:
            return None, f"{' '.join(command)} failed: {(done.stderr or done.stdout).strip()[-500:]}"
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return (found, None) if os.path.exists(found) else (None, "apt-get installed no nginx binary")


def _replaced(text, old, new):
    if text.count(old) != 1:  # the README's configuration changed: the benchmark must follow it, not guess
        raise SystemExit(f"deploy/nginx: expected {old.strip()!r} once, found it {text.count(old)} times")
    return text.replace(old, new)


def render(folder, port, upstream_port, connections):
    """Write this run's nginx configuration into `folder`; the path of its main file."""
    folder.mkdir(parents=True, exist_ok=True)
    site = (DEPLOY / "capacita.conf").read_text(encoding="utf-8")
    site = _replaced(site, REDIRECT_SERVER, "")
    site = _replaced(site, HTTPS_SERVER, f"    listen 127.0.0.1:{port} backlog=4096;\n")
    for line in CERTIFICATE_LINES:
        site = _replaced(site, line, "")
    site = _replaced(site, UPSTREAM, f"    server 127.0.0.1:{upstream_port};\n")
    site = site.replace(PROXY_INCLUDE, f"include {folder}/capacita_proxy.conf;")
    (folder / "capacita.conf").write_text(site, encoding="utf-8")
    shutil.copy(DEPLOY / "capacita_proxy.conf", folder / "capacita_proxy.conf")
    # Running as root, nginx's workers would become `nobody`, who cannot enter the run's private folder.
    user = "user root;" if os.geteuid() == 0 else ""
    main = MAIN_CONF.format(folder=folder, user=user, connections=connections, files=2 * connections + 1024,
                            keep_alive=75)
    (folder / "nginx.conf").write_text(main, encoding="utf-8")
    return folder / "nginx.conf"


@contextmanager
def nginx(binary, folder, port, upstream_port, connections):
    """nginx on 127.0.0.1:`port`, proxying to gunicorn on `upstream_port`, until the block ends."""
    conf = render(folder, port, upstream_port, connections)
    checked = subprocess.run([binary, "-t", "-q", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True)
    if checked.returncode:
        raise SystemExit(f"nginx -t refused the configuration:\n{checked.stderr}")
    server = subprocess.Popen([binary, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_until_listening(server, port, "nginx", folder / "error.log")
        yield server
    finally:
        server.terminate()  # SIGTERM: nginx's fast shutdown
        server.wait(timeout=30)


def wait_until_listening(server, port, name, log_path):
    """Return once `server` (`name`, logging to `log_path`) answers on `port`; exit saying why if it stops or does
    not answer within a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{name} stopped:\n{Path(log_path).read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/robots.txt")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{name} did not answer on port {port} within a minute")
