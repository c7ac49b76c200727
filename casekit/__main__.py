"""``python -m casekit`` runs the command line."""

import sys

from casekit.cli import main

sys.exit(main())
