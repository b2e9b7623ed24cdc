"""One typed layer of commands and queries for every entry point.

The HTTP API, the control socket (`jorgectl`) and the dashboard all make a command
(`kinds`: frozen attrs classes, checked when made) and hand it to the one
`dispatch.Dispatcher`, which answers with a typed value or raises an error by kind
(`Invalid`, `NotFound`, `Conflict`). `wire` turns JSON into commands (a cattrs union
tagged by each class's `NAME`) and answers into JSON.
"""

from jorged.commands.kinds import *  # noqa: F403 - the kinds are the package's names
from jorged.commands.kinds import __all__ as __all__
