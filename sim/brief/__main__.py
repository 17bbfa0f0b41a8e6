"""``python -m sim.brief``: see :mod:`sim.brief`."""

import sys

from sim.brief import main

sys.exit(main())
