"""This machine's addresses, read from its interfaces in a network namespace of its own (unshare):
found without a default route, and a new address found after start."""
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

SCRIPT = textwrap.dedent("""
    import subprocess, sys, time
    sys.path.insert(0, sys.argv[1])
    from orgkit import network
    subprocess.run(["ip", "addr", "add", "10.9.8.7/24", "dev", "lo"], check=True)
    print(network.lan_address(), network._routed(), "10.9.8.7" in network.machine_addresses())
    subprocess.run(["ip", "addr", "add", "10.11.12.13/24", "dev", "lo"], check=True)
    before = "10.11.12.13" in network.machine_addresses()
    time.sleep(network.REREAD_S + 0.2)
    print(before, "10.11.12.13" in network.machine_addresses())
""")


def _in_own_network(script: str) -> list[str]:
    if not shutil.which("unshare") or not shutil.which("ip") or subprocess.run(
            ["unshare", "-rn", "true"], capture_output=True).returncode:
        pytest.fail("needs `unshare -rn` and `ip` (util-linux, iproute2) for a network namespace")
    result = subprocess.run(["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$@"', "-",
                             sys.executable, "-c", script, str(ROOT)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_without_a_default_route_the_address_comes_from_the_interfaces_and_is_reread():
    found, new_address = _in_own_network(SCRIPT)
    # A route lookup (what Streamlit's Network URL uses) finds nothing; the interfaces do.
    assert found == "10.9.8.7 None True"
    assert new_address == "False True"  # read again after REREAD_S, not before
