"""The real Cassandra node the Cassandra tests run against: started by scripts/cassandra-node
for the test session (and stopped after it) unless one is already running."""

import os
import subprocess

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "cassandra-node")
KEYSPACE = "parafeat_test"


def node(command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Runs ``scripts/cassandra-node COMMAND``; returns the finished process."""
    return subprocess.run(
        ["bash", SCRIPT, command], capture_output=True, text=True, timeout=timeout, check=False
    )


def node_pid():
    """The node's process id, or None when it is not running."""
    status = node("status")
    if status.returncode != 0:
        return None
    return int(status.stdout.split("pid ")[1].rstrip(")\n"))
