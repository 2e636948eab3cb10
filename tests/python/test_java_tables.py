"""The committed Java tables are exactly what their generator measures on JDK 17."""

import pathlib
import subprocess

from jdk import java17_home
from services import unavailable

REPO = pathlib.Path(__file__).resolve().parents[2]


TABLES = ("java_lower_tables.inc", "java_word_break_tables.inc")


def test_java_tables_are_regenerated_identically_on_jdk17(tmp_path):
    home = java17_home()
    if home is None:
        unavailable("needs JDK 17 under /usr/lib/jvm (apt-get install openjdk-17-jdk-headless)")
    subprocess.run(
        [
            f"{home}/bin/java",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.text=ALL-UNNAMED",
            str(REPO / "src/common/unicode/GenerateJavaTables.java"),
            *(str(tmp_path / table) for table in TABLES),
        ],
        check=True,
        timeout=300,
    )
    for table in TABLES:
        generated = (tmp_path / table).read_text(encoding="utf-8")
        assert generated == (REPO / "src/common" / table).read_text(encoding="utf-8"), table
