"""``python -m sanxiang.ledger`` — see :mod:`sanxiang.ledger.cli`."""

import sys

from .cli import main

sys.exit(main())
