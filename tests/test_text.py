"""The one text cleaner: control and bidirectional characters refused, NFC stored."""

from __future__ import annotations

import pytest

from marketplace.text import UnsafeText, clean_text

UNSAFE = {
    "NUL": "\x00",
    "ESC": "\x1b",
    "BEL": "\x07",
    "RLO": "\u202e",
    "DEL": "\x7f",
    "LRI": "\u2066",
    "C1": "\x85",
    "line separator": "\u2028",
}


@pytest.mark.parametrize("char", UNSAFE.values(), ids=UNSAFE.keys())
def test_the_cleaner_refuses_control_and_bidi_characters(char) -> None:
    with pytest.raises(UnsafeText):
        clean_text(f"Chè{char}Tân Cương")


def test_the_cleaner_stores_nfc_and_keeps_line_breaks_only_where_asked() -> None:
    assert clean_text("Che\u0300 Ta\u0302n") == "Chè Tân"
    assert clean_text("dòng 1\ndòng 2", multiline=True) == "dòng 1\ndòng 2"
    with pytest.raises(UnsafeText):
        clean_text("dòng 1\ndòng 2")
