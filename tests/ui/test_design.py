from __future__ import annotations

import pytest

from ui import design

AA = 4.5


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    r, g, b = linear
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


PAIRS = [
    (theme.name, what, fg, bg)
    for theme in design.THEMES.values()
    for what, fg, bg in theme.text_pairs()
]


class TestContrast:
    def test_the_ratio_formula_matches_wcag(self) -> None:
        """Black on white is 21:1 and a colour on itself 1:1."""
        assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
        assert contrast("#777777", "#777777") == pytest.approx(1.0)

    @pytest.mark.parametrize(("theme", "what", "fg", "bg"), PAIRS)
    def test_every_text_pair_meets_aa(
        self, theme: str, what: str, fg: str, bg: str
    ) -> None:
        """Every text colour of every theme reaches 4.5:1 on its background."""
        assert contrast(fg, bg) >= AA, f"{theme}: {what} {fg} on {bg}"

    def test_every_theme_is_checked(self) -> None:
        """Light, dark and high contrast are all enumerated, with their chips."""
        assert {p[0] for p in PAIRS} == {"light", "dark", "contrast"}
        assert all(sum(p[0] == t for p in PAIRS) >= 20 for t in design.THEMES)

    def test_the_stylesheet_defines_every_theme(self) -> None:
        """The CSS carries a block per theme and the automatic one."""
        css = design.stylesheet()
        for name in ("theme-light", "theme-dark", "theme-contrast", "theme-auto"):
            assert f"body.{name}" in css
