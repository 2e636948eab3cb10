"""What a test does when a real component it needs (a JDK, Spark, a Spark cluster, a Cassandra
node) cannot start: skip with the reason printed loudly, or fail when the run requires every
component, as CI does by setting PARAFEAT_REQUIRE_SERVICES=1 (see .ci/run)."""

import os
import sys

import pytest


def unavailable(reason: str):
    """Skips the calling test (or fixture) with `reason`, or fails it when components are required."""
    if os.environ.get("PARAFEAT_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (PARAFEAT_REQUIRE_SERVICES=1: this run requires it)", pytrace=False)
    print(f"\nSKIPPING: {reason}", file=sys.stderr)
    pytest.skip(reason)
