import sys

from parafeat.cli import main

sys.exit(main())
