"""Text normalisation with an offset map back to the original.

`clean` undoes the tricks posters use to dodge keyword filters while keeping case, emojis and a character map to
the original text (cues point at what the analyst actually sees):

- NFKC (fullwidth, circled, mathematical alphanumerics 𝐣𝐨𝐛𝐛 → jobb, ligatures);
- zero-width and other invisible format characters are dropped;
- letters NFKC leaves alone (small capitals ᴊᴏʙʙ, negative circled/squared 🅙🅞🅑, lone regional indicators,
  Cyrillic and Greek look-alikes) are folded to Latin with the table in `data/homoglyphs.yaml`;
- decorative combining marks (s̶t̶r̶i̶k̶e̶) are dropped, real accents (å, ä, ø via combining marks) composed;
- spaced-out letters are joined: "s k j u t a" → "skjuta", "s.k.j.u.t.a" → "skjuta".

`model_text` builds the classifier's input from cleaned text: lower case, emojis as language-neutral tokens
(🔫 → GUN, see `data/emoji_tokens.yaml`), digits inside words read as letters (sk1ut → skiut).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

import emoji
import yaml

from varde.records import TextView

# Invisible characters used to split words without changing how they look.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u034f\u180e\u061c")
_REGIONAL_A = 0x1F1E6
_REGIONAL_Z = 0x1F1FF


def _load_yaml(name: str) -> Any:
    return yaml.safe_load(resources.files("varde.detect").joinpath("data", name).read_text(encoding="utf-8"))


def _homoglyph_table() -> dict[str, str]:
    data = _load_yaml("homoglyphs.yaml")
    table: dict[str, str] = {}
    for latin, glyphs in data["fold"].items():
        for glyph in glyphs:
            table[glyph] = latin
    # Negative circled (🅐) and negative squared (🅰) capitals: NFKC keeps them as symbols.
    for base in (0x1F150, 0x1F170):
        for i in range(26):
            table[chr(base + i)] = chr(ord("A") + i)
    return table


_HOMOGLYPHS = _homoglyph_table()


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    """What one character becomes: '' when invisible, else its NFKC form with look-alike letters folded."""
    if char in _INVISIBLE:
        return ""
    if char in _HOMOGLYPHS:
        return _HOMOGLYPHS[char]
    folded = unicodedata.normalize("NFKC", char)
    return "".join(_HOMOGLYPHS.get(c, c) for c in folded)


# A run of at least three single letters each followed by one separator, e.g. "s k j u t a" or "s.k.j.u.t.a".
_LETTER = r"[^\W\d_]"
_SPACED = re.compile(rf"(?<![^\W_])(?:{_LETTER}[ .\-_*|/·•]){{2,}}{_LETTER}(?![^\W_])")
_SPACED_PLAIN = re.compile(rf"(?<![^\W_])(?:{_LETTER} ){{3,}}{_LETTER}(?![^\W_])")


def _spaced_runs(text: str) -> list[tuple[int, int]]:
    """Spans of spaced-out letter runs to join; a plain-space run needs four letters (Scandinavian "i"/"å"/"ö"
    are words), a run with dots/dashes three."""
    runs: list[tuple[int, int]] = []
    for match in _SPACED.finditer(text):
        body = match.group(0)
        separators = set(body[1::2])
        if separators == {" "} and not _SPACED_PLAIN.fullmatch(body):
            continue
        runs.append(match.span())
    return runs


# Characters that may need folding: everything beyond ASCII and the precomposed Latin-1 letters (æ, ø, å, ä, ö …).
_NEEDS_FOLD = re.compile(r"[^\x00-\x7f\u00c0-\u00ff]")


def _fold_one(text: str, index: int, chars: list[str], offsets: list[int]) -> None:
    char = text[index]
    code = ord(char)
    if _REGIONAL_A <= code <= _REGIONAL_Z:
        # Pairs are flags (kept); a lone regional indicator is a stylised letter.
        prev_ri = index > 0 and _REGIONAL_A <= ord(text[index - 1]) <= _REGIONAL_Z
        next_ri = index + 1 < len(text) and _REGIONAL_A <= ord(text[index + 1]) <= _REGIONAL_Z
        if not prev_ri and not next_ri:
            chars.append(chr(ord("A") + code - _REGIONAL_A))
            offsets.append(index)
            return
    if unicodedata.category(char) == "Mn" and chars:
        # Compose real accents onto the previous letter; drop decorative marks (strike-through, underline).
        composed = unicodedata.normalize("NFC", chars[-1] + char)
        if len(composed) == 1:
            chars[-1] = composed
        return
    for folded in _fold_char(char):
        chars.append(folded)
        offsets.append(index)


def _fold(text: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _NEEDS_FOLD.finditer(text):
        index = match.start()
        if index > position:
            chars.extend(text[position:index])
            offsets.extend(range(position, index))
        _fold_one(text, index, chars, offsets)
        position = index + 1
    chars.extend(text[position:])
    offsets.extend(range(position, len(text)))
    return chars, offsets


@lru_cache(maxsize=512)
def _identity(length: int) -> tuple[int, ...]:
    return tuple(range(length + 1))


def clean(text: str) -> TextView:
    """Undo obfuscation (see module doc) keeping case and emojis; `offsets` map each character to the original."""
    if _NEEDS_FOLD.search(text) is None:
        if not _maybe_spaced(text):  # most posts: nothing to change, the offsets are the identity
            return TextView(text, _identity(len(text)))
        folded, offsets = text, list(range(len(text)))
    else:
        chars, offsets = _fold(text)
        folded = "".join(chars)
    runs = _spaced_runs(folded) if _maybe_spaced(folded) else []
    if runs:
        keep_chars: list[str] = []
        keep_offsets: list[int] = []
        position = 0
        for start, end in runs:
            keep_chars.extend(folded[position:start])
            keep_offsets.extend(offsets[position:start])
            keep_chars.extend(folded[start:end:2])
            keep_offsets.extend(offsets[start:end:2])
            position = end
        keep_chars.extend(folded[position:])
        keep_offsets.extend(offsets[position:])
        folded, offsets = "".join(keep_chars), keep_offsets
    offsets.append(len(text))
    return TextView(folded, tuple(offsets))


_CHEAP_SPACED = re.compile(r"(?:^|[\s.\-_*|/·•])\w[ .\-_*|/·•]\w[ .\-_*|/·•]\w(?:[\s.\-_*|/·•]|$)")


def _maybe_spaced(text: str) -> bool:
    return _CHEAP_SPACED.search(text) is not None


def _emoji_tokens() -> dict[str, str]:
    data = _load_yaml("emoji_tokens.yaml")
    table: dict[str, str] = {}
    for token, names in data["tokens"].items():
        for name in names:
            table[f":{name}:"] = token
    return table


EMOJI_TOKENS = _emoji_tokens()


def _emoji_char_tokens() -> dict[str, str]:
    """Signal emojis as they appear in cleaned text (variation selectors dropped) → token."""
    table: dict[str, str] = {}
    for chars, data in emoji.EMOJI_DATA.items():
        for name in [data["en"], *data.get("alias", [])]:
            token = EMOJI_TOKENS.get(name)
            if token:
                for form in (chars, chars.replace("\ufe0f", "")):
                    if form:
                        table[form] = token
                break
    return table


EMOJI_CHAR_TOKENS = _emoji_char_tokens()
# Longest first so multi-codepoint emojis win over their first codepoint.
_EMOJI_FIRST = re.compile("[" + "".join(sorted({re.escape(c[0]) for c in EMOJI_CHAR_TOKENS})) + "]")
_EMOJI_FIRST_CHARS = frozenset(c[0] for c in EMOJI_CHAR_TOKENS)
# Per first character, the lengths of the signal emojis that start with it, longest first.
_EMOJI_SIZES: dict[str, tuple[int, ...]] = {}
for _form in EMOJI_CHAR_TOKENS:
    _EMOJI_SIZES[_form[0]] = tuple(sorted({*_EMOJI_SIZES.get(_form[0], ()), len(_form)}, reverse=True))


def signal_emojis(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for each emoji that carries signal (🔫 → GUN), longest form first."""
    found: list[tuple[int, int, str]] = []
    if _EMOJI_FIRST_CHARS.isdisjoint(text):  # most posts: a set test is far cheaper than the regex scan
        return found
    position = 0
    for match in _EMOJI_FIRST.finditer(text):
        start = match.start()
        if start < position:
            continue
        for size in _EMOJI_SIZES[text[start]]:
            piece = text[start : start + size]
            token = EMOJI_CHAR_TOKENS.get(piece)
            if token:
                found.append((start, start + len(piece), token))
                position = start + len(piece)
                break
    return found


def _tokens_for_emojis(text: str) -> str:
    found = signal_emojis(text)
    if not found:
        return text
    parts: list[str] = []
    position = 0
    for start, end, token in found:
        parts.append(text[position:start])
        parts.append(f" {token} ")
        position = end
    parts.append(text[position:])
    return "".join(parts)


_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")


def _flag_token(match: re.Match[str]) -> str:
    # Flags name a country, which matters (🇸🇪 on a Norwegian post).
    return " FLAG" + "".join(chr(ord("A") + ord(c) - _REGIONAL_A) for c in match.group(0)) + " "


_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "€": "e"}
_LEET_IN_WORD = re.compile(r"(?<=[a-zæøåäöé])[013457@$€]+(?=[a-zæøåäöé])", re.IGNORECASE)


def unleet(text: str) -> str:
    """Digits and symbols inside words read as letters (sk1ut → skiut), same length so offsets still hold.
    Only for matching: contacts and wallets keep their digits in the cleaned text."""
    if not any(c in text for c in _LEET):
        return text
    return _LEET_IN_WORD.sub(lambda m: "".join(_LEET[c] for c in m.group(0)), text)


def model_text(text: str) -> str:
    """The classifier's input from cleaned text: lower case, emojis as tokens, leetspeak inside words undone."""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = _tokens_for_emojis(lowered)
        lowered = _FLAG.sub(_flag_token, lowered)
    lowered = _LEET_IN_WORD.sub(lambda m: "".join(_LEET[c] for c in m.group(0)), lowered)
    # Whitespace runs to one space, ends stripped: str.split() and \s use the same Unicode whitespace.
    return " ".join(lowered.split())
