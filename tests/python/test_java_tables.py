"""The committed Java tables are exactly what their generator measures on JDK 17."""

import pathlib
import subprocess

import pytest

from jdk import java17_home

REPO = pathlib.Path(__file__).resolve().parents[2]


def test_java_unicode_tables_are_regenerated_identically_on_jdk17(tmp_path):
    home = java17_home()
    if home is None:
        pytest.skip("needs JDK 17 under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless)")
    generated = tmp_path / "java_unicode_tables.inc"
    subprocess.run(
        [
            f"{home}/bin/java",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            str(REPO / "src/common/unicode/GenerateJavaTables.java"),
            str(generated),
        ],
        check=True,
        timeout=300,
    )
    committed = REPO / "src/common/java_unicode_tables.inc"
    assert generated.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
