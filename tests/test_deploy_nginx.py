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
