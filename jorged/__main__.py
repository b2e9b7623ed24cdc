from __future__ import annotations

import sys

from jorged.app_main import main

sys.exit(main())
