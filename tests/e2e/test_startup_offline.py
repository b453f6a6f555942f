"""Nothing leaves the machine when the server starts: Streamlit's external-address lookup (an
HTTP call to checkip.amazonaws.com, "Did not auto detect external IP" when it fails) is
configured off (.streamlit/config.toml sets browser.serverAddress). The real server is started
as `streamlit run app.py` with an audit hook (sitecustomize on PYTHONPATH) that writes down
every name lookup and every connect that is not to this machine's loopback."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]

AUDIT = '''
import ipaddress, os, sys

_LOG = os.environ["ORGKIT_NET_LOG"]
_LOCAL = {None, "", "localhost", "0.0.0.0", "::"}


def _outside(host):
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL:
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name: looking it up asks a DNS server


def _hook(event, args):
    if event == "socket.getaddrinfo" and _outside(args[0]):
        seen = f"lookup {args[0]!r}"
    elif event == "socket.connect" and isinstance(args[1], tuple) and _outside(args[1][0]):
        seen = f"connect {args[1]!r}"
    else:
        return
    with open(_LOG, "a") as log:
        log.write(seen + "\\n")


sys.addaudithook(_hook)
'''


def test_starting_the_server_asks_nothing_of_the_outside_world(tmp_path, sqlite_url):
    (tmp_path / "sitecustomize.py").write_text(AUDIT)
    net_log, out = tmp_path / "net.log", tmp_path / "server.log"
    port = free_port()
    env = {**os.environ, "ORGKIT_DATABASE_URL": sqlite_url, "ORGKIT_NET_LOG": str(net_log),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    # As the README starts it: no --server.address, so Streamlit would print every address.
    with open(out, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py",
                                 "--server.port", str(port)], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        time.sleep(3)  # the lookup would run after start-up, within a second or two
    finally:
        proc.terminate()
        proc.wait(10)
    printed = out.read_text()
    assert "You can now view" in printed  # the hook and the log did see this server start
    assert "External URL" not in printed and "external IP" not in printed
    assert (net_log.read_text() if net_log.exists() else "") == ""
