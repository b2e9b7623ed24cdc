"""What a contact id may be: the one definition the webhook, API, CLI and UI apply.

A contact id names a seller in URLs (`/api/conversations/<id>`, the dashboard's
`/conversations/<id>`), in store keys and on the command line, so it must survive all
of them unchanged. GHL's own ids are 20 to 24 letters and digits
(`ve9EPM428h8vShlRW1KT`); jorged's demo and simulator ids add `-`
(`demo-7-00001`, `sim-3f9a`). The rule admits those with room to spare:

- 1 to `MAX_LENGTH` (64) characters;
- ASCII letters, digits and `_ . : @ + -` only: no spaces, control characters (NUL
  included), path separators, `%`, quotes or anything outside ASCII (emoji);
- not starting with `.` and without `..`, so no id reads as a relative path.

`contact_id_problem` says what is wrong with a value (None when it is a valid id);
`check_contact_id` raises `Invalid` naming the field with that sentence.
"""

from __future__ import annotations

import re
from typing import Any

from jorged.exceptions import Invalid

__all__ = ["MAX_LENGTH", "PATTERN", "check_contact_id", "contact_id_problem"]

MAX_LENGTH = 64
#: The rule as one regular expression (also the OpenAPI `pattern` of the id).
PATTERN = r"^(?!\.)(?!.*\.\.)[A-Za-z0-9_.:@+-]{1,64}$"
_VALID = re.compile(PATTERN)
_CHARACTERS = re.compile(r"^[A-Za-z0-9_.:@+-]*$")


def contact_id_problem(value: Any) -> str | None:
    """Why `value` is not a contact id, in one sentence; None when it is one."""
    if not isinstance(value, str) or not value:
        return "required, a non-empty string"
    if _VALID.fullmatch(value):
        return None
    if len(value) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters, got {len(value)}"
    if not _CHARACTERS.fullmatch(value):
        return "may hold only ASCII letters, digits and _ . : @ + -"
    return "must not start with '.' or contain '..'"


def check_contact_id(value: Any, field: str = "contact_id") -> str:
    """`value` when it is a valid contact id, else `Invalid` naming `field`."""
    problem = contact_id_problem(value)
    if problem is not None:
        raise Invalid(field=field, problem=problem)
    return str(value)
