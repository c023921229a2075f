"""``python -m sanxiang.inspections`` — see :mod:`sanxiang.inspections.draw.cli`. No Django."""

import sys

from sanxiang.inspections.draw.cli import main

sys.exit(main())
