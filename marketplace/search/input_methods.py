"""Vietnamese typed without an input method: the keys of Telex ("nuowc mawms") or VNI
("nu7o71c ma9m1") left in the word instead of the diacritics they stand for.

`decode(word)` reads one word as Telex and as VNI and returns the Vietnamese syllables it spells
("nuowc" -> "nước"); the keys of each method are data (`input_methods.json`). A word that does
not read as a Vietnamese syllable under a method ("coffee", "tea", "cafe") gives nothing: the
caller uses a decoding as one more way the word may match, never instead of the word itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

INPUT_METHODS_FILE = "input_methods.json"
_TONE_MARKS = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303", "dot": "\u0323"}
_VOWELS = "aăâeêioôơuưy"
_MARKED_VOWELS = "ăâêôơư"


@dataclass(frozen=True)
class InputMethod:
    name: str
    marks: dict[str, dict[str, str]]  # key -> {letter: marked letter}
    alone: dict[str, str]  # key typed where it marks nothing -> the letter it stands for
    tones: dict[str, str]  # key -> tone name ("none" removes the tone)


def _alternation(parts: str) -> str:
    # Longest first, so that "ngh" is tried before "ng" and "iêu" before "iê".
    return "|".join(re.escape(p) for p in sorted(parts.split(), key=len, reverse=True))


def _load() -> tuple[tuple[InputMethod, ...], re.Pattern[str]]:
    text = resources.files(__package__).joinpath(INPUT_METHODS_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    methods = tuple(
        InputMethod(name, spec["marks"], spec["alone"], spec["tones"])
        for name, spec in data["methods"].items()
    )
    parts = data["syllable"]
    syllable = re.compile(
        f"^({_alternation(parts['initials'])})?({_alternation(parts['vowels'])})({_alternation(parts['finals'])})?$"
    )
    return methods, syllable


METHODS, _SYLLABLE = _load()


def _apply_mark(out: list[str], key: str, method: InputMethod) -> bool:
    """Mark the letter(s) before `key` that it applies to; False when it applies to none."""
    targets = method.marks.get(key)
    if not targets:
        return False
    if key in targets:  # a letter key (Telex "aa", "dd") marks the same letter just before it
        if out and out[-1] == key:
            out[-1] = targets[key]
            return True
        return False
    for i in range(len(out) - 1, -1, -1):
        if out[i] in targets:
            out[i] = targets[out[i]]
            # "uo" takes the horn on both letters: "nuowc" -> "nước".
            if out[i] == "ơ" and i > 0 and out[i - 1] == "u" and "u" in targets:
                out[i - 1] = targets["u"]
            return True
    return False


def _tone_position(nucleus: str, has_final: bool) -> int:
    """Where the tone goes in a vowel group (the traditional placement: "hòa", "thủy")."""
    marked = [i for i, ch in enumerate(nucleus) if ch in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if len(nucleus) == 1:
        return 0
    if has_final:
        return len(nucleus) - 1
    return 0 if len(nucleus) == 2 else 1


def _spell(letters: str, tone: str | None) -> str | None:
    match = _SYLLABLE.match(letters)
    if match is None:
        return None
    if not tone or tone == "none":
        return letters
    start = match.start(2)
    position = start + _tone_position(match.group(2), bool(match.group(3)))
    marked = unicodedata.normalize("NFC", letters[position] + _TONE_MARKS[tone])
    return letters[:position] + marked + letters[position + 1 :]


def _decode_with(word: str, method: InputMethod) -> str | None:
    out: list[str] = []
    tone: str | None = None
    used_a_key = False
    for ch in word:
        has_vowel = any(c in _VOWELS for c in out)
        if ch in method.tones and has_vowel:
            tone, used_a_key = method.tones[ch], True
        elif _apply_mark(out, ch, method):
            used_a_key = True
        elif ch in method.alone and not has_vowel:
            out.append(method.alone[ch])
            used_a_key = True
        elif ch in method.marks and not ch.isalpha():
            used_a_key = True  # a VNI mark key with nothing to mark ("ma9m1"): a slip, dropped
        else:
            out.append(ch)
    if not used_a_key:
        return None
    return _spell("".join(out), tone)


def decode(word: str) -> tuple[str, ...]:
    """The syllables `word` (lower case) spells in Telex or VNI, each once; () when it spells none.

    >>> decode("nuowc"), decode("nu7o71c"), decode("sown"), decode("coffee")
    (('nước',), ('nước',), ('sơn',), ())
    """
    found = (_decode_with(word, method) for method in METHODS)
    return tuple(dict.fromkeys(s for s in found if s and s != word))
