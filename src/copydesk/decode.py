"""Stage 1, decode: page bytes to text.

Order, after the HTML Living Standard's encoding sniffing: (1) a byte order mark;
(2) the charset the transport declared (HTTP `Content-Type`, WARC header),
passed in by the caller (UTF-16 from there is honoured, from a `<meta>` it means
UTF-8); (3) a `<meta charset>` / `<meta http-equiv>` in the first 4 KiB; (4)
UTF-8, strict or but for a few stray bytes (`MOSTLY_UTF8`), which almost never
decodes non-UTF-8 text by accident; (5) statistical detection (charset-normalizer). A declared charset
that fails on the bytes while UTF-8 succeeds loses to UTF-8 (mislabelled pages).
Labels map to the encodings browsers really use (WHATWG Encoding Standard):
ISO-8859-1/ASCII mean windows-1252, GB2312/GBK mean GB18030, Shift_JIS means
cp932, EUC-KR means cp949. Bytes that are invalid in the chosen encoding become
U+FFFD; NUL bytes are dropped. Text that was itself saved through a wrong decoding
(UTF-8 read as windows-1252: "â€™" for "’") is repaired with ftfy
(`repair_mojibake`): WCXB +0.0003 (the truth of 13 such pages is repaired, of 8
not), L3S-GN1 -0.0001.
"""

from __future__ import annotations

import codecs
import re
from itertools import chain, islice

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# WHATWG label aliases whose Python codec differs from what browsers decode.
_WHATWG = {
    "iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "l1": "cp1252", "ascii": "cp1252",
    "us-ascii": "cp1252", "iso8859-1": "cp1252", "iso_8859-1": "cp1252", "windows-1252": "cp1252",
    "cp819": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254",
    "gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "x-euc-kr": "cp949",
    "tis-620": "cp874", "iso-8859-11": "cp874", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "x-mac-roman": "mac-roman", "macintosh": "mac-roman", "big5-hkscs": "big5hkscs",
}

# Codecs Python knows that no browser uses for a page (punycode, EBCDIC, ...):
# a page declaring one is decoded as if it declared nothing.
_NOT_PAGE_ENCODINGS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "rot-13", "utf-7", "mbcs", "oem"})
_EBCDIC = frozenset({"cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"})
_META_RE = re.compile(
    rb"""<meta[^>]+?(?:charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)|content\s*=\s*["'][^"'>]*?charset\s*=\s*([a-zA-Z0-9_.:\-]+))""",
    re.IGNORECASE,
)
_CT_RE = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:\-]+)", re.IGNORECASE)


def _codec_name(label: str | None) -> str | None:
    """Python's name for the codec a charset label names (after `_WHATWG`), or None."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        return codecs.lookup(_WHATWG.get(label, label)).name
    except (LookupError, ValueError):  # an unknown label, or one with a NUL or a lone surrogate
        return None


def normalise_label(label: str | None) -> str | None:
    """A Python codec name for a charset label, as browsers interpret it; None if unknown."""
    name = _codec_name(label)
    if name is None:
        return None
    if name in _NOT_PAGE_ENCODINGS or name in _EBCDIC:
        return None
    # UTF-16 declared inside an 8-bit-readable document is a lie (WHATWG: use UTF-8).
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return _WHATWG.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset label of an HTTP `Content-Type` value ("text/html; charset=EUC-KR" -> "EUC-KR")."""
    if not content_type:
        return None
    m = _CT_RE.search(content_type)
    return m.group(1) if m else None


def sniff_meta(data: bytes) -> str | None:
    """The charset a `<meta>` tag declares in the first 4 KiB, as a Python codec name, or None."""
    m = _META_RE.search(data[:4096])
    if not m:
        return None
    return normalise_label((m.group(1) or m.group(2)).decode("ascii", "ignore"))


def detect_encoding(data: bytes, declared: str | None = None, check_utf8_label: bool = True) -> str:
    """The encoding to decode `data` with (a Python codec name). Never raises.

    `declared` is a charset label from the transport (HTTP/WARC headers), or None.
    See the module docstring for the order of evidence. `check_utf8_label=False`
    takes a "utf-8" label on trust (`decode` checks it only when the decoding meets
    an invalid byte, sparing most pages a second pass over their bytes).
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    wide = _transport_wide(declared, data)
    if wide:
        return wide
    for candidate in (normalise_label(declared), sniff_meta(data)):
        if candidate is None:
            continue
        if (candidate == "utf-8" and (not check_utf8_label or _utf8_fits(data))) or (candidate != "utf-8" and _decodes(data, candidate)):
            if candidate != "utf-8" and _is_utf8(data) and not data.isascii():
                return "utf-8"  # declared legacy charset, but the bytes are valid UTF-8
            return candidate
        if _is_utf8(data):
            return "utf-8"
    if _is_utf8(data) or _mostly_utf8(data):
        return "utf-8"
    return _guess(data)


_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


def _transport_wide(declared: str | None, data: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec the transport declared (HTTP `Content-Type`: browsers
    honour it there, unlike in a `<meta>`), when the bytes look it: a quarter or more of
    them NUL, as markup's ASCII has in UTF-16, or (non-Latin text) binary read any other
    way but text in that codec (`looks_binary`). Else None."""
    if not declared or ("16" not in declared and "32" not in declared):
        return None
    name = _codec_name(declared)
    if name not in _WIDE or not _decodes(data, name):
        return None
    if data.count(b"\x00") * 4 >= len(data):
        return name
    head = data[:8192]
    if looks_binary(head, "utf-8"):
        text = head.decode(name, errors="replace")
        controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\f\r\x1b")
        if controls <= BINARY_CONTROL_SHARE * len(text):
            return name
    return None


MOSTLY_UTF8 = 20
"""Well-formed non-ASCII characters per invalid byte sequence from which undeclared
bytes that are not strict UTF-8 are still read as UTF-8 (a page with a stray or cut
byte), not handed to statistical detection, which then reads every character of the
page in a legacy charset. Legacy-charset text decodes as UTF-8 to almost nothing but
invalid sequences."""


def _mostly_utf8(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    return wide >= MOSTLY_UTF8 * max(bad, 1)


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) for page bytes; invalid bytes become U+FFFD, NULs are removed."""
    text, encoding, _ = decode_page(data, declared)
    return text, encoding


def decode_page(data: bytes, declared: str | None = None) -> tuple[str, str, bool]:
    """`decode`, and whether the text is the bytes' own UTF-8, unchanged (no byte order
    mark, U+FFFD or NUL): then `text.encode("utf-8") == data`, and the parser can read
    the bytes rather than encode the text again (about 50 us on a median page)."""
    encoding = detect_encoding(data, declared, check_utf8_label=False)
    text = _decode_as(data, encoding)
    replaced = encoding == "utf-8" and "\ufffd" in text
    if replaced and not _utf8_fits(data):
        # A "utf-8" label on bytes that are not UTF-8 (windows-1252 served as UTF-8).
        encoding = detect_encoding(data, declared)
        text = _decode_as(data, encoding)
    # A NUL character needs a NUL byte in every encoding read here (and U+FFFD
    # replaces no byte with one): the bytes are searched first, much faster than
    # the text when it holds wide characters.
    nuls = b"\x00" in data and "\x00" in text
    if nuls:
        text = text.replace("\x00", "")
    return text, encoding, encoding == "utf-8" and not replaced and not nuls and not data.startswith(codecs.BOM_UTF8)


def _decode_as(data: bytes, encoding: str) -> str:
    if encoding.startswith("utf-16"):
        bom = 2 if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else 0
        return data[bom:].decode(encoding, errors="replace")
    return data.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="replace")


# UTF-8 read as windows-1252 or Latin-1 ("Ã©" for "é", "â€™" for "’", "Â " for a
# no-break space): the lead byte's letter, then a continuation byte's character.
_MOJIBAKE = re.compile("[\u00c2\u00c3][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|\u00e2[\u0080\u20ac]")
MOJIBAKE_MIN_SIGNS = 3
"""Double-encoded sequences (`_MOJIBAKE`) from which a page's text is repaired with
ftfy: one or two can be real text ("Â" in a French heading, "Ã" in Portuguese)."""


REPAIR_CHECK_EVERY = 256
"""Stretches repaired between checks of the time limit (ftfy takes about 12 us on a
short one; a page can hold a million)."""


REPAIR_MAX_STRETCH = 20_000
"""Characters handed to ftfy at once (about 50 ms of its time on mojibake-dense text):
a longer stretch is repaired in parts, so the deadline is checked between them."""


def repair_mojibake(text: str, after: str = ">", before: str = "<", deadline=None) -> str:
    """`text` with UTF-8 that was decoded as windows-1252 or Latin-1 put right by
    ftfy's `fix_encoding`, when it holds `MOJIBAKE_MIN_SIGNS` such sequences (pages
    saved through a wrong decoding: "offersÂ a free editionâ€”"); else unchanged.
    Three one-character searches decide for most pages (a two-character search is
    ten times slower on non-ASCII text). Only the stretches that hold a sequence go
    through ftfy (on a whole page it takes 25-75 ms): from just `after` the last
    `after` before it to the next `before` (between tags in HTML; text mode passes
    newlines, a line). `deadline` (an `options.Deadline`) is checked every
    `REPAIR_CHECK_EVERY` stretches: raises `ExtractionTimeout` past it."""
    if "\u00c3" not in text and "\u00c2" not in text and (
        "\u00e2" not in text or ("\u00e2\u20ac" not in text and "\u00e2\x80" not in text)
    ):
        return text
    found = _MOJIBAKE.finditer(text)
    first = list(islice(found, MOJIBAKE_MIN_SIGNS))
    if len(first) < MOJIBAKE_MIN_SIGNS:
        return text
    import ftfy  # only pages that need it pay for the import

    pieces: list[str] = []
    done = 0
    for m in chain(first, found):
        if m.start() < done:
            continue  # in a stretch already repaired
        if deadline is not None and len(pieces) % (2 * REPAIR_CHECK_EVERY) == 0:
            deadline.check()
        start = max(done, text.rfind(after, done, m.start()) + 1)
        end = text.find(before, m.end())
        end = len(text) if end < 0 else end
        pieces.append(text[done:start])
        while end - start > REPAIR_MAX_STRETCH:
            # A stretch this long (a line or a text node of megabytes) goes through
            # ftfy in parts, cut after a space, with the deadline checked between.
            cut = text.rfind(" ", start + REPAIR_MAX_STRETCH // 2, start + REPAIR_MAX_STRETCH)
            cut = start + REPAIR_MAX_STRETCH if cut < 0 else cut + 1
            pieces.append(ftfy.fix_encoding(text[start:cut]))
            start = cut
            if deadline is not None:
                deadline.check()
        pieces.append(ftfy.fix_encoding(text[start:end]))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of gzip data (RFC 1952)."""

BINARY_CONTROL_SHARE = 0.05
"""Share of C0 control bytes (other than tab, newline, form feed, carriage return and
escape) in the first 8 KiB above which the input is binary data, not a text page:
HTML in any single- or multi-byte charset has next to none; an image, an archive or
random bytes have about one in ten. NULs count only when the bytes are not UTF-8:
text padded with NULs (which decoding drops) is text, an executable full of NULs is
not. UTF-16/32 text is exempt (it is full of NULs)."""
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_BYTES_BUT_NUL = _CONTROL_BYTES[1:]


def looks_binary(data: bytes, encoding: str) -> bool:
    """True when `data` (to be decoded as `encoding`) is binary rather than text; see
    `BINARY_CONTROL_SHARE`."""
    if encoding.startswith(("utf-16", "utf-32")):
        return False
    head = data[:8192]
    if len(head) < 256:
        return False  # too short to judge: a few stray bytes are an empty page, not a file
    limit = BINARY_CONTROL_SHARE * len(head)
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) <= limit:
        return False
    return len(head) - len(head.translate(None, _CONTROL_BYTES_BUT_NUL)) > limit or not _utf8_head(head)


def _utf8_head(head: bytes) -> bool:
    """True if `head` is UTF-8, allowing a character cut at its end."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        return e.reason == "unexpected end of data" and e.start >= len(head) - 3
    return True


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# One well-formed UTF-8 multi-byte sequence (RFC 3629).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf8_fits(data: bytes) -> bool:
    """True when a "utf-8" label fits `data`: it decodes, or it holds UTF-8 sequences
    beside its damage (a page cut mid-character), or its damage is a few bytes
    (`_decodes`). Bytes with many invalid bytes and no UTF-8 sequence at all are a
    legacy charset mislabelled (windows-1252 served as UTF-8)."""
    return _is_utf8(data) or _UTF8_SEQUENCE.search(data) is not None or _decodes(data, "utf-8")


def _decodes(data: bytes, encoding: str, max_errors: int = 8) -> bool:
    """True if `data` decodes in `encoding` with at most a few invalid sequences."""
    try:
        return data.decode(encoding, errors="replace").count("\ufffd") <= max_errors
    except (LookupError, UnicodeError):
        return False


def _guess(data: bytes) -> str:
    """Statistical detection for undeclared, non-UTF-8 bytes; windows-1252 when nothing fits."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return "cp1252"
    # Detectors often answer Latin-1 for Western text; normalise_label maps it to
    # windows-1252, as browsers do.
    return normalise_label(best.encoding) or "cp1252"
