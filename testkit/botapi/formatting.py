"""Telegram text formatting, as the Bot API server does it, for the fake server.

Ported from TDLib's ``td/telegram/MessageEntity.cpp`` (``parse_html``,
``match_mentions``, ``match_bot_commands``, ``match_hashtags``), so that a bot's formatted
text fails here the way it fails on the real server: ``"1 < 2"`` in HTML mode gives the same
``can't parse entities: ...`` description Telegram sends. Only HTML is parsed: it is the one
parse mode the bot uses; any other parse_mode is refused.

Offsets and lengths of entities are UTF-16 code units, as in the Bot API; error messages
quote *byte* offsets into the UTF-8 text, as Telegram's do.

Deliberate simplifications (documented so nobody relies on them):
* links are checked loosely (http/https/tg/ton schemes, or a bare ``host.tld`` which gets
  ``http://`` put in front); Telegram normalises URLs further;
* ``tg://user?id=N`` links become ``text_mention`` entities with a minimal user object;
* ``<tg-time>`` / ``![..](tg://time?..)`` produce no entity;
* automatic entity detection covers ``mention``, ``bot_command`` and ``hashtag`` only
  (no ``url``, ``email``, ``cashtag``, ``phone_number``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FormatError",
    "find_auto_entities",
    "format_text",
    "parse_html",
    "utf16_len",
    "utf16_offset",
]

MAX_TEXT_LENGTH = 4096  # code points after entity parsing (TDLib uses utf8_length)


class FormatError(ValueError):
    """A parse error; ``str(exc)`` is the text after ``can't parse entities: ``."""


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Telegram's offsets count)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of the code point at Python index ``index``."""
    return utf16_len(text[:index])


# --------------------------------------------------------------------------- helpers

_SPACE = frozenset(b" \t\r\n\v\x00")
LT, GT, AMP, SLASH, EQ, DQ, SQ = (ord(c) for c in "<>&/=\"'")
DOT, MINUS, SEMI, HASH = (ord(c) for c in ".-;#")
BSL, NL, CR = ord("\\"), ord("\n"), ord("\r")
US, STAR, TILDE, PIPE, LBR, RBR, BT, EXCL, LPAR, RPAR = (ord(c) for c in "_*~|[]`!()")


def _is_space(c: int) -> bool:
    return c in _SPACE


def _is_alpha(c: int) -> bool:
    return 97 <= (c | 0x20) <= 122


def _is_digit(c: int) -> bool:
    return 48 <= c <= 57


def _is_alnum(c: int) -> bool:
    return _is_alpha(c) or _is_digit(c)


def _is_hex(c: int) -> bool:
    return _is_digit(c) or 97 <= (c | 0x20) <= 102


def _first_unit(c: int) -> bool:
    """Is byte ``c`` the first byte of a UTF-8 sequence?"""
    return (c & 0xC0) != 0x80


def _units(c: int) -> int:
    """UTF-16 units of a code point that starts with UTF-8 byte ``c``."""
    return 2 if c >= 0xF0 else 1


class _Bytes:
    """A bytes string that reads as NUL past its end, like TDLib's C strings."""

    __slots__ = ("s", "n")

    def __init__(self, s: bytes) -> None:
        self.s = s
        self.n = len(s)

    def __getitem__(self, i: int) -> int:
        return self.s[i] if 0 <= i < self.n else 0


def _enc(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


def _dec(b: bytes | bytearray) -> str:
    return bytes(b).decode("utf-8", "replace")


def _checked_link(url: str) -> str:
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
    if m:
        scheme = m.group(1).lower()
        if scheme in ("http", "https", "tg", "ton", "tonsite") and len(url) > len(m.group(0)):
            return url
        return ""
    if re.match(r"^[\w.-]+\.[A-Za-z]{2,}(:\d+)?([/?#].*)?$", url):
        return "http://" + url
    return ""


def _link_entity(offset: int, length: int, url: str) -> dict[str, Any] | None:
    m = re.match(r"^tg://user\?id=(\d+)$", url.strip(), re.IGNORECASE)
    if m:
        user = {"id": int(m.group(1)), "is_bot": False, "first_name": ""}
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    checked = _checked_link(url)
    if not checked:
        return None
    return {"type": "text_link", "offset": offset, "length": length, "url": checked}


def _sorted(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


# --------------------------------------------------------------------------- HTML

_HTML_TAGS = frozenset(
    "a b strong i em s strike del u ins tg-spoiler tg-emoji tg-time span pre code "
    "blockquote".split()
)


def _decode_html_entity(t: _Bytes, pos: int) -> tuple[int, int]:
    """Returns (code point or 0, position after the entity)."""
    end = pos + 1
    res = 0
    if t[pos + 1] == HASH:
        end += 1
        if t[pos + 2] == ord("x"):
            end += 1
            while _is_hex(t[end]):
                res = res * 16 + int(chr(t[end]), 16)
                end += 1
        else:
            while _is_digit(t[end]):
                res = res * 10 + t[end] - 48
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while _is_alpha(t[end]):
            end += 1
        name = t.s[pos + 1 : end]
        res = {b"lt": 60, b"gt": 62, b"amp": 38, b"quot": 34}.get(name, 0)
        if not res:
            return 0, pos
    return res, (end + 1 if t[end] == SEMI else end)


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int
    begin: int  # position in the output buffer
    byte_offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-HTML. Returns (plain text, entities); raises FormatError."""
    t = _Bytes(text.encode("utf-8", "surrogatepass"))
    out = bytearray()
    entities: list[dict[str, Any]] = []
    utf16 = 0
    nested: list[_Open] = []
    i = 0
    while i < t.n:
        c = t[i]
        if c == AMP:
            code, new_i = _decode_html_entity(t, i)
            if code:
                utf16 += 2 if code > 0xFFFF else 1
                out += _enc(code)
                i = new_i
                continue
        if c != LT:
            if _first_unit(c):
                utf16 += _units(c)
            out.append(c)
            i += 1
            continue

        begin_pos = i
        i += 1
        if t[i] != SLASH:
            # start tag
            while not _is_space(t[i]) and t[i] != GT:
                i += 1
            if t[i] == 0:
                raise FormatError(f"Unclosed start tag at byte offset {begin_pos}")
            tag = _dec(t.s[begin_pos + 1 : i]).lower()
            if tag not in _HTML_TAGS:
                raise FormatError(f'Unsupported start tag "{tag}" at byte offset {begin_pos}')
            argument = ""
            while t[i] != GT:
                while t[i] != 0 and _is_space(t[i]):
                    i += 1
                if t[i] == GT:
                    break
                attr_begin = i
                while not _is_space(t[i]) and t[i] not in (EQ, GT, SLASH, DQ, SQ):
                    i += 1
                attr = t.s[attr_begin:i]
                if not attr:
                    raise FormatError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin_pos}'
                    )
                while t[i] != 0 and _is_space(t[i]):
                    i += 1
                if t[i] != EQ:
                    if t[i] == 0:
                        raise FormatError(f'Unclosed start tag "{tag}" at byte offset {begin_pos}')
                    if tag == "blockquote" and attr == b"expandable":
                        argument = "1"
                    continue
                i += 1
                while t[i] != 0 and _is_space(t[i]):
                    i += 1
                if t[i] == 0:
                    raise FormatError(f'Unclosed start tag "{tag}" at byte offset {begin_pos}')
                if t[i] not in (SQ, DQ):
                    token_begin = i
                    while _is_alnum(t[i]) or t[i] in (DOT, MINUS):
                        i += 1
                    value = _dec(t.s[token_begin:i]).lower()
                    if not _is_space(t[i]) and t[i] != GT:
                        raise FormatError(
                            f"Unexpected end of name token at byte offset {token_begin}"
                        )
                else:
                    end_ch = t[i]
                    i += 1
                    buf = bytearray()
                    while t[i] != end_ch and t[i] != 0:
                        if t[i] == AMP:
                            code, new_i = _decode_html_entity(t, i)
                            if code:
                                buf += _enc(code)
                                i = new_i
                                continue
                        buf.append(t[i])
                        i += 1
                    if t[i] == end_ch:
                        i += 1
                    value = _dec(buf)
                if t[i] == 0:
                    raise FormatError(f"Unclosed start tag at byte offset {begin_pos}")
                if tag == "a" and attr == b"href":
                    argument = value
                elif tag == "code" and attr == b"class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr == b"class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr == b"emoji-id":
                    argument = value
                elif tag == "blockquote" and attr == b"expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise FormatError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin_pos}'
                )
            nested.append(_Open(tag, argument, utf16, len(out)))
            i += 1  # skip '>'
            continue

        # end tag
        if not nested:
            raise FormatError(f"Unexpected end tag at byte offset {begin_pos}")
        while not _is_space(t[i]) and t[i] != GT:
            i += 1
        end_tag = _dec(t.s[begin_pos + 2 : i]).lower()
        while _is_space(t[i]) and t[i] != 0:
            i += 1
        if t[i] != GT:
            raise FormatError(f"Unclosed end tag at byte offset {begin_pos}")
        top = nested[-1]
        if end_tag and end_tag != top.tag:
            raise FormatError(
                f'Unmatched end tag at byte offset {begin_pos}, expected "</{top.tag}>", '
                f'found "</{end_tag}>"'
            )
        if utf16 > top.offset:
            off, length = top.offset, utf16 - top.offset
            tag = top.tag
            simple = {
                "i": "italic",
                "em": "italic",
                "b": "bold",
                "strong": "bold",
                "s": "strikethrough",
                "strike": "strikethrough",
                "del": "strikethrough",
                "u": "underline",
                "ins": "underline",
                "tg-spoiler": "spoiler",
                "span": "spoiler",
            }
            last = entities[-1] if entities else None
            same_span = last is not None and last["offset"] == off and last["length"] == length
            if tag in simple:
                entities.append({"type": simple[tag], "offset": off, "length": length})
            elif tag == "tg-emoji":
                if not top.argument.isdigit() or int(top.argument) == 0:
                    raise FormatError("Invalid custom emoji identifier specified")
                entities.append(
                    {
                        "type": "custom_emoji",
                        "offset": off,
                        "length": length,
                        "custom_emoji_id": top.argument,
                    }
                )
            elif tag == "tg-time":
                pass
            elif tag == "a":
                url = top.argument or _dec(out[top.begin :])
                ent = _link_entity(off, length, url)
                if ent:
                    entities.append(ent)
            elif tag == "pre":
                if same_span and last["type"] == "code":
                    # <pre><code class="language-x">..</code></pre>: one pre entity
                    last["type"] = "pre"
                    if last.get("_language"):
                        last["language"] = last.pop("_language")
                else:
                    entities.append({"type": "pre", "offset": off, "length": length})
            elif tag == "code":
                if same_span and last["type"] == "pre":
                    if top.argument:
                        last["language"] = top.argument
                else:
                    ent = {"type": "code", "offset": off, "length": length}
                    if top.argument:
                        ent["_language"] = top.argument
                    entities.append(ent)
            elif tag == "blockquote":
                kind = "expandable_blockquote" if top.argument else "blockquote"
                entities.append({"type": kind, "offset": off, "length": length})
        nested.pop()
        i += 1  # skip '>'
    if nested:
        raise FormatError(f'Can\'t find end tag corresponding to start tag "{nested[-1].tag}"')
    for ent in entities:
        ent.pop("_language", None)
    return _dec(out), _sorted(entities)


# --------------------------------------------------------------------------- auto entities


def _is_word(ch: str) -> bool:
    return ch == "_" or unicodedata.category(ch)[0] in "LN"


def _is_username_char(ch: str) -> bool:
    return ch == "_" or ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("0" <= ch <= "9")


def _is_hashtag_letter(ch: str) -> tuple[bool, bool]:
    """(is hashtag letter, is a Letter)."""
    cat = unicodedata.category(ch)
    cp = ord(ch)
    if ch == "_" or cp in (0x200C, 0xB7) or 0xD80 <= cp <= 0xDFF:
        return True, False
    return cat[0] == "L" or cat == "Nd", cat[0] == "L"


_SHORT_USERNAMES = {"gif", "nft", "pic", "ufc", "vid"}


def _marked(text: str, marker: str, glued: Callable[[str], bool]) -> Iterator[int]:
    """Positions of ``marker`` in ``text`` not right after a character ``glued`` accepts."""
    p = text.find(marker)
    while p >= 0:
        if p == 0 or not glued(text[p - 1]):
            yield p
        p = text.find(marker, p + 1)


def _name_end(text: str, p: int) -> int:
    """The index after the run of username characters that starts at ``p``."""
    while p < len(text) and _is_username_char(text[p]):
        p += 1
    return p


def _find_mentions(text: str) -> list[tuple[int, int]]:
    res = []
    for at in _marked(text, "@", _is_word):
        end = _name_end(text, at + 1)
        name = text[at + 1 : end]
        if not 2 <= len(name) <= 32 or (end < len(text) and _is_word(text[end])):
            continue
        if len(name) < 4 and name.lower() not in _SHORT_USERNAMES:
            continue
        res.append((at, end))
    return res


def _glued_to_command(ch: str) -> bool:
    return _is_word(ch) or ch in "/<>"


def _find_bot_commands(text: str) -> list[tuple[int, int]]:
    res = []
    for slash in _marked(text, "/", _glued_to_command):
        end = _name_end(text, slash + 1)
        if not 1 <= end - slash - 1 <= 64:
            continue
        if end < len(text) and text[end] == "@":  # /command@botname
            bot_end = _name_end(text, end + 1)
            if not 3 <= bot_end - end - 1 <= 32:
                continue
            end = bot_end
        if end < len(text) and _glued_to_command(text[end]):
            continue
        res.append((slash, end))
    return res


def _find_hashtags(text: str) -> list[tuple[int, int]]:
    res = []
    n = len(text)
    for sign in _marked(text, "#", lambda ch: _is_hashtag_letter(ch)[0]):
        p = sign + 1
        size = 0
        end = None
        was_letter = False
        while p < n:
            ok, letter = _is_hashtag_letter(text[p])
            if not ok:
                break
            p += 1
            if size == 255:
                end = p
            if size != 256:
                was_letter |= letter
                size += 1
        if end is None:
            end = p
        if size < 1:
            continue
        if end == p and p < n and text[p] == "@":
            q = p + 1
            while q < n and q - p < 33 and _is_username_char(text[q]):
                q += 1
            if q - p - 1 >= 3:
                p = q
                end = q
        if p < n and text[p] == "#":
            continue
        if not was_letter:
            continue
        res.append((sign, end))
    return res


def find_auto_entities(
    text: str, existing: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Entities Telegram detects by itself: ``mention``, ``bot_command``, ``hashtag``.

    Spans overlapping an entity in ``existing`` (UTF-16 offsets) are left out.
    Returns the detected entities only, UTF-16 offsets, sorted.
    """
    taken = [(e["offset"], e["offset"] + e["length"]) for e in (existing or [])]
    found: list[dict[str, Any]] = []
    for kind, finder in (
        ("mention", _find_mentions),
        ("bot_command", _find_bot_commands),
        ("hashtag", _find_hashtags),
    ):
        for b, e in finder(text):
            off = utf16_offset(text, b)
            end = off + utf16_len(text[b:e])
            if any(off < te and ts < end for ts, te in taken):
                continue
            taken.append((off, end))
            found.append({"type": kind, "offset": off, "length": end - off})
    return _sorted(found)


# --------------------------------------------------------------------------- pipeline


def _trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """TDLib's trimming of outgoing text: rtrim whitespace, ltrim spaces/newlines before
    the first entity; entities are cut to the remaining text."""
    stripped = text.rstrip()
    limit = utf16_len(stripped)
    kept = []
    for ent in entities:
        if ent["offset"] >= limit:
            continue
        ent = dict(ent)
        ent["length"] = min(ent["length"], limit - ent["offset"])
        kept.append(ent)
    first_entity = min((e["offset"] for e in kept), default=None)
    lead = 0
    while lead < len(stripped) and stripped[lead] in " \n":
        if first_entity is not None and lead >= first_entity:
            break
        lead += 1
    if lead:
        stripped = stripped[lead:]
        for ent in kept:
            ent["offset"] -= lead
    return stripped, _sorted(kept)


def format_text(
    text: str,
    parse_mode: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    *,
    auto_entities: bool = True,
) -> tuple[str, list[dict[str, Any]]]:
    """What Telegram makes of an outgoing ``text`` + ``parse_mode``/``entities``.

    Returns (text, entities) as they appear in the sent Message. Raises FormatError
    (``can't parse entities`` reasons) or ValueError for an unknown parse mode.
    Explicit ``entities`` win over ``parse_mode``, as on the real server.
    """
    if entities:
        ents = [dict(e) for e in entities]
    elif parse_mode:
        mode = parse_mode.lower()
        if mode == "html":
            text, ents = parse_html(text)
        else:
            raise ValueError("unsupported parse_mode")
    else:
        ents = []
    text, ents = _trim(text, ents)
    if auto_entities:
        ents = _sorted(ents + find_auto_entities(text, ents))
    return text, ents
