"""Write the man pages of `jorged` and `jorgectl` from their argument parsers.

`make man` runs it; tests/jorged/control/test_manpages.py checks that the pages
in docs/man/ still match the parsers. The date comes from SOURCE_DATE_EPOCH when set.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_manpages.manpage import Manpage

from jorged import __version__
from jorged import app_main as daemon_cli
from jorged.control import cli as control_cli

PAGES: dict[str, tuple[argparse.ArgumentParser, str]] = {
    "jorged": (daemon_cli._parser(), "the seller qualification daemon"),  # noqa: SLF001
    "jorgectl": (control_cli._parser(), "control the running jorged"),  # noqa: SLF001
}

SEE_ALSO = """
.SH FILES
.TP
/etc/jorged/jorged.toml
the config file (else $JORGED_CONFIG or --config; the embedded defaults without one)
.TP
/run/jorged/control.sock
the control socket under systemd ($RUNTIME_DIRECTORY), else ./var/control.sock
.TP
/var/lib/jorged
the state under systemd ($STATE_DIRECTORY), else ./var
.SH EXIT STATUS
0 ok, 1 failure (including "the daemon is not running"), 2 usage or config error.
.SH SEE ALSO
jorged(8), jorgectl(8), systemctl(1), journalctl(1)
"""


def render(name: str) -> str:
    parser, summary = PAGES[name]
    page = Manpage(
        parser,
        {
            "project_name": "jorged",
            "version": __version__,
            "description": summary,
            "manual_section": "8",
            "manual_title": "jorged manual",
            "prog": name,
        },
    )
    return str(page).rstrip("\n") + "\n" + SEE_ALSO.lstrip("\n")


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/man")
    out.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        (out / f"{name}.8").write_text(render(name))
        print(f"wrote {out / name}.8")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
