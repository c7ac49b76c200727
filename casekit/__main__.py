"""``python -m casekit`` runs the command line."""

import sys

from casekit.cli import main

if __name__ == "__main__":
    sys.exit(main())
