"""Counted nouns for people: `1 conversation`, `2 conversations`."""

from __future__ import annotations


def plural(count: float, noun: str, nouns: str | None = None) -> str:
    """`count` and the noun in the right number, thousands separated."""
    shown = f"{count:,.0f}" if float(count).is_integer() else f"{count:,}"
    return f"{shown} {noun if count == 1 else nouns or noun + 's'}"
