from __future__ import annotations

import sys

from jorged.cli import main

sys.exit(main())
