"""How codes read to a person: one table for the dashboard, the XLSX and the PDF.

The JSON API, the CSV and the stored records keep the codes (`q_price`,
`1_3_months`); whatever a person reads shows these labels instead.
"""

from __future__ import annotations

STAGES = {
    "new": "New",
    "q_motivation": "Motivation",
    "q_timeline": "Timeline",
    "q_condition": "Condition",
    "q_price": "Price",
    "qualified": "Qualified",
}
TEMPERATURES = {"hot": "Hot", "warm": "Warm", "cold": "Cold"}
TIMELINES = {
    "immediate": "Within 30 days",
    "1_3_months": "1 to 3 months",
    "3_6_months": "3 to 6 months",
    "6_plus_months": "6+ months",
    "unknown": "Unknown",
}
PRICE_BUCKETS = {
    "lt_200k": "< $200k",
    "200k_300k": "$200k to 300k",
    "300k_400k": "$300k to 400k",
    "400k_500k": "$400k to 500k",
    "500k_800k": "$500k to 800k",
    "gt_800k": "> $800k",
}
FLAGS = {
    "stalled": "Stalled",
    "paused": "Paused",
    "opted_out": "Opted out",
    "stopped": "Stopped",
    "booked": "Booked",
}


def label(mapping: dict[str, str], key: object) -> str:
    """The label of `key`, else the code made readable ("opted_out" -> "Opted out")."""
    text = str(key)
    return mapping.get(text, text.replace("_", " ").capitalize())
