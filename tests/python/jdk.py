"""Where the tests find JDK 17, which Spark runs on and parafeat's Java tables were measured on."""

import glob
import os

# Other JDKs on the machine (such as a JDK 25) are never chosen.
_JDK17_HOMES = ("/usr/lib/jvm/java-17-openjdk-amd64", *sorted(glob.glob("/usr/lib/jvm/*-17-*")))


def java17_home():
    """The first JDK 17 installed in the usual Debian places, or None."""
    for home in _JDK17_HOMES:
        if os.access(os.path.join(home, "bin", "java"), os.X_OK):
            return home
    return None
