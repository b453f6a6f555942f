"""Run OrgKit as N app processes behind nginx, for a room (or a hall) one process cannot hold.

    python3 scripts/serve_many.py --processes 2 --listen 0.0.0.0:8080 \
        [--database-url postgresql://...]

Each process is `streamlit run app.py` on its own loopback port; nginx (Debian's package, as the
test script installs it) listens on --listen and sends each browser to one process, chosen by its
remembered-device cookie (deploy/nginx.conf.template says why). The processes share the database
named by --database-url (ORGKIT_DATABASE_URL otherwise): PostgreSQL, or one SQLite file in WAL on
this machine. Every live-board revision lives in the database, so a phone on one process and the
projector on another see each other's items at the next poll.

Ready when it prints "serving on ..."; Ctrl-C (or SIGTERM) stops nginx and every process.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_conf(run_dir: Path, listen: str, ports: list[int], debug: bool) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
    # With --debug-upstream each response names the process that answered (tests use it to put
    # two browsers on two processes); off by default, since it shows internal ports.
    header = "            add_header X-OrgKit-Upstream $upstream_addr always;" if debug else ""
    return Template(TEMPLATE.read_text()).substitute(
        run_dir=run_dir, listen=listen, servers=servers, debug=header)


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"a process stopped while starting (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--listen", default="0.0.0.0:8080", help="nginx's address:port")
    parser.add_argument("--database-url", default=os.environ.get("ORGKIT_DATABASE_URL"))
    parser.add_argument("--debug-upstream", action="store_true")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        raise SystemExit("nginx is not installed: apt-get install nginx (scripts/test does)")

    run_dir = Path(tempfile.mkdtemp(prefix="orgkit-serve-"))
    env = dict(os.environ)
    if args.database_url:
        env["ORGKIT_DATABASE_URL"] = args.database_url
    ports = [free_port() for _ in range(args.processes)]
    children: list[subprocess.Popen] = []

    def stop() -> None:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(run_dir, ignore_errors=True)

    def on_signal(*_) -> None:
        raise SystemExit(0)  # unwinds to the finally below, which stops everything

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        for port in ports:
            log = open(run_dir / f"app-{port}.log", "w")
            children.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        for port, child in zip(ports, children):
            wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", child)
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_conf(run_dir, args.listen, ports, args.debug_upstream))
        children.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(run_dir),
                                          "-g", "daemon off;"]))
        port = args.listen.rsplit(":", 1)[1]
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", children[-1])
        print(f"serving on {args.listen} with {args.processes} processes "
              f"(ports {', '.join(map(str, ports))}); logs in {run_dir}", flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        raise SystemExit("a process stopped; stopping the rest")
    finally:
        stop()


if __name__ == "__main__":
    main()
