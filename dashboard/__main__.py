"""Run the tracker's command line: `python -m dashboard COMMAND`."""

import sys

from dashboard.cli import main

sys.exit(main())
