"""Colours, themes and class names shared by every page.

Themes are data: each `Theme` names every colour the dashboard paints with, and
`Theme.text_pairs()` lists every (text, background) pair it uses, so a test can check
each pair against WCAG AA. `stylesheet()` turns the themes into CSS variables; the
page's body classes (`theme-light`, `theme-dark`, `theme-contrast`, `theme-auto`)
pick one, and `theme-auto` follows the browser's colour scheme.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import attrs

ThemeName = Literal["light", "dark", "contrast"]
ThemeChoice = Literal["auto", "light", "dark", "contrast"]
THEME_CHOICES: dict[ThemeChoice, str] = {
    "auto": "Auto (follow the browser)",
    "light": "Light",
    "dark": "Dark",
    "contrast": "High contrast",
}


@attrs.frozen(kw_only=True)
class Chip:
    """A coloured badge: its text on its background."""

    fg: str
    bg: str


@attrs.frozen(kw_only=True)
class Theme:
    name: ThemeName
    dark: bool
    bg: str
    surface: str
    border: str
    text: str
    muted: str
    header_bg: str
    header_text: str
    link: str
    primary: str
    on_primary: str
    good: str
    bad: str
    warn: str
    bubble_in: Chip
    bubble_out: Chip
    banner: Chip
    chips: dict[str, Chip]
    #: Series colours of the charts (graphics, drawn on `surface`).
    series: tuple[str, ...]

    def text_pairs(self) -> Iterator[tuple[str, str, str]]:
        """Every (what, text colour, background colour) pair the theme paints."""
        for where, bg in (("page", self.bg), ("card", self.surface)):
            yield f"text on {where}", self.text, bg
            yield f"muted on {where}", self.muted, bg
            yield f"link on {where}", self.link, bg
            yield f"good on {where}", self.good, bg
            yield f"bad on {where}", self.bad, bg
            yield f"warn on {where}", self.warn, bg
        yield "header", self.header_text, self.header_bg
        yield "button", self.on_primary, self.primary
        yield "outline button", self.primary, self.surface
        yield "inbound bubble", self.bubble_in.fg, self.bubble_in.bg
        yield "outbound bubble", self.bubble_out.fg, self.bubble_out.bg
        yield "banner", self.banner.fg, self.banner.bg
        for name, chip in self.chips.items():
            yield f"chip {name}", chip.fg, chip.bg


LIGHT = Theme(
    name="light",
    dark=False,
    bg="#f1f5f9",
    surface="#ffffff",
    border="#cbd5e1",
    text="#0f172a",
    muted="#475569",
    header_bg="#1e3a8a",
    header_text="#ffffff",
    link="#1d4ed8",
    primary="#1d4ed8",
    on_primary="#ffffff",
    good="#15803d",
    bad="#b91c1c",
    warn="#92400e",
    bubble_in=Chip(fg="#0f172a", bg="#e2e8f0"),
    bubble_out=Chip(fg="#ffffff", bg="#1d4ed8"),
    banner=Chip(fg="#ffffff", bg="#b91c1c"),
    chips={
        "hot": Chip(fg="#991b1b", bg="#fee2e2"),
        "warm": Chip(fg="#92400e", bg="#fef3c7"),
        "cold": Chip(fg="#1e40af", bg="#dbeafe"),
        "ok": Chip(fg="#166534", bg="#dcfce7"),
        "warning": Chip(fg="#92400e", bg="#fef3c7"),
        "critical": Chip(fg="#991b1b", bg="#fee2e2"),
        "neutral": Chip(fg="#334155", bg="#e2e8f0"),
    },
    series=("#1d4ed8", "#0d9488", "#d97706", "#be185d", "#7c3aed", "#475569"),
)

DARK = Theme(
    name="dark",
    dark=True,
    bg="#0b1120",
    surface="#1e293b",
    border="#334155",
    text="#f1f5f9",
    muted="#cbd5e1",
    header_bg="#172554",
    header_text="#ffffff",
    link="#93c5fd",
    primary="#93c5fd",
    on_primary="#0b1120",
    good="#4ade80",
    bad="#fca5a5",
    warn="#fcd34d",
    bubble_in=Chip(fg="#f1f5f9", bg="#334155"),
    bubble_out=Chip(fg="#ffffff", bg="#1d4ed8"),
    banner=Chip(fg="#ffffff", bg="#991b1b"),
    chips={
        "hot": Chip(fg="#fecaca", bg="#7f1d1d"),
        "warm": Chip(fg="#fde68a", bg="#78350f"),
        "cold": Chip(fg="#bfdbfe", bg="#1e3a8a"),
        "ok": Chip(fg="#bbf7d0", bg="#14532d"),
        "warning": Chip(fg="#fde68a", bg="#78350f"),
        "critical": Chip(fg="#fecaca", bg="#7f1d1d"),
        "neutral": Chip(fg="#e2e8f0", bg="#334155"),
    },
    series=("#60a5fa", "#2dd4bf", "#fbbf24", "#f472b6", "#a78bfa", "#94a3b8"),
)

CONTRAST = Theme(
    name="contrast",
    dark=True,
    bg="#000000",
    surface="#000000",
    border="#ffffff",
    text="#ffffff",
    muted="#f0f0f0",
    header_bg="#000000",
    header_text="#ffff00",
    link="#ffff00",
    primary="#ffff00",
    on_primary="#000000",
    good="#7CFC00",
    bad="#ff9e9e",
    warn="#ffd700",
    bubble_in=Chip(fg="#ffffff", bg="#1a1a1a"),
    bubble_out=Chip(fg="#000000", bg="#ffff00"),
    banner=Chip(fg="#000000", bg="#ffff00"),
    chips={
        "hot": Chip(fg="#000000", bg="#ff9e9e"),
        "warm": Chip(fg="#000000", bg="#ffd700"),
        "cold": Chip(fg="#000000", bg="#9ecbff"),
        "ok": Chip(fg="#000000", bg="#7CFC00"),
        "warning": Chip(fg="#000000", bg="#ffd700"),
        "critical": Chip(fg="#000000", bg="#ff9e9e"),
        "neutral": Chip(fg="#000000", bg="#ffffff"),
    },
    series=("#ffff00", "#00ffff", "#ff9e9e", "#7CFC00", "#ff80ff", "#ffffff"),
)

THEMES: dict[ThemeName, Theme] = {t.name: t for t in (LIGHT, DARK, CONTRAST)}

# --- layout classes -----------------------------------------------------------------

CARD = "w-full p-4 gap-2 j-card"
PAGE = "w-full max-w-7xl mx-auto p-3 sm:p-4 gap-4"
MUTED = "j-muted"
GRID = "w-full grid grid-cols-1 md:grid-cols-2 gap-4"
HERO_GRID = "w-full grid grid-cols-2 lg:grid-cols-4 gap-3"


def chip_class(name: str) -> str:
    """The class of a badge coloured as `name` (hot, warm, cold, ok, warning, ...)."""
    return f"j-chip j-chip-{name}"


def _variables(t: Theme) -> str:
    lines = [
        f"--j-bg:{t.bg}",
        f"--j-surface:{t.surface}",
        f"--j-border:{t.border}",
        f"--j-text:{t.text}",
        f"--j-muted:{t.muted}",
        f"--j-header-bg:{t.header_bg}",
        f"--j-header-text:{t.header_text}",
        f"--j-link:{t.link}",
        f"--j-good:{t.good}",
        f"--j-bad:{t.bad}",
        f"--j-warn:{t.warn}",
        f"--j-in-fg:{t.bubble_in.fg}",
        f"--j-in-bg:{t.bubble_in.bg}",
        f"--j-out-fg:{t.bubble_out.fg}",
        f"--j-out-bg:{t.bubble_out.bg}",
        f"--j-banner-fg:{t.banner.fg}",
        f"--j-banner-bg:{t.banner.bg}",
        f"--j-primary:{t.primary}",
        f"--q-primary:{t.primary}!important",
        f"--j-on-primary:{t.on_primary}",
        f"--q-dark-page:{t.bg}!important",
        f"--q-dark:{t.surface}!important",
    ]
    lines += [f"--j-{n}-fg:{c.fg};--j-{n}-bg:{c.bg}" for n, c in t.chips.items()]
    return ";".join(lines)


_RULES = """
body{background:var(--j-bg);color:var(--j-text)}
.j-card,.q-card,.q-table__card,.q-menu,.q-dialog .q-card{
 background:var(--j-surface)!important;color:var(--j-text)!important;
 border:1px solid var(--j-border);box-shadow:none}
.j-muted,.q-table th,.q-field__label,.q-field__native::placeholder{
 color:var(--j-muted)!important}
.q-field__native,.q-field__input,.q-select__dropdown-icon,.q-item{
 color:var(--j-text)!important}
.q-field__control{color:var(--j-link)!important}
.j-good{color:var(--j-good)}.j-bad{color:var(--j-bad)}.j-warn{color:var(--j-warn)}
a,.j-link,.q-btn--flat.text-primary,.q-btn--outline.text-primary{color:var(--j-link)!important}
body .bg-primary{background:var(--j-primary)!important}
body .q-btn.bg-primary{color:var(--j-on-primary)!important}
body .text-primary{color:var(--j-link)!important}
.j-plain{border:0!important;background:transparent!important;padding:0!important}
.q-toggle__label,.q-checkbox__label,.q-radio__label{color:var(--j-text)}
.j-header{background:var(--j-header-bg)!important;color:var(--j-header-text)!important}
.j-header a,.j-header .q-btn{color:var(--j-header-text)!important}
.j-nav a[aria-current=page]{text-decoration:underline;text-underline-offset:6px}
@media (max-width:767.98px){.j-wide-only{display:none!important}}
@media (min-width:768px){.j-narrow-only{display:none!important}}
.j-chip{display:inline-block;padding:1px 8px;border-radius:9999px;font-size:.8rem;
 font-weight:600;line-height:1.4}
.j-bubble{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;
 word-break:break-word}
.j-in{background:var(--j-in-bg);color:var(--j-in-fg);align-self:flex-start}
.j-out{background:var(--j-out-bg);color:var(--j-out-fg);align-self:flex-end}
.j-banner{background:var(--j-banner-bg);color:var(--j-banner-fg);position:fixed;left:0;
 right:0;bottom:0;z-index:7000;padding:10px 16px;font-weight:600;text-align:center}
.j-banner[hidden]{display:none}
:focus-visible{outline:3px solid var(--j-link)!important;outline-offset:2px}
body.reduce-motion *,body.reduce-motion *::before,body.reduce-motion *::after{
 animation:none!important;transition:none!important;scroll-behavior:auto!important}
@media (prefers-reduced-motion: reduce){
 *{animation:none!important;transition:none!important}}
"""


def stylesheet() -> str:
    """The CSS of every theme, keyed on the body's theme class."""
    chips = "".join(
        f".j-chip-{n}{{color:var(--j-{n}-fg);background:var(--j-{n}-bg)}}"
        for n in LIGHT.chips
    )
    return (
        f"body.theme-light,body.theme-auto{{{_variables(LIGHT)}}}"
        f"body.theme-dark{{{_variables(DARK)}}}"
        f"body.theme-contrast{{{_variables(CONTRAST)}}}"
        "@media (prefers-color-scheme: dark){"
        f"body.theme-auto{{{_variables(DARK)}}}}}"
        f"{_RULES}{chips}"
    )
