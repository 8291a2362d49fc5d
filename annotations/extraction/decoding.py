"""Bytes from a file, a pipe or an upload → document text, or one clear reason why not."""

import codecs

# Share of control characters above which input is treated as binary, not text.
_BINARY_CONTROL_SHARE = 0.05
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


class TextDecodeError(ValueError):
    """The bytes are not usable text. ``reason`` is a stable identifier for the cause:
    "empty", "binary", "utf-16", "cp1251", "undecodable" or "unknown-encoding"."""

    def __init__(self, message: str, *, reason: str, encoding: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.encoding = encoding


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Decode ``data`` as UTF-8, or as ``encoding`` when one is given.

    Without an explicit encoding only UTF-8 (with or without a byte-order mark) is
    accepted: guessing a legacy encoding silently would shift every stored offset if
    the guess were wrong. When the bytes look like UTF-16 or Windows-1251 the error says
    so, naming the encoding to pass.
    """
    if not data.strip():
        raise TextDecodeError("The input is empty.", reason="empty")
    if encoding:
        text = _decode_as(data, encoding)
    else:
        _refuse_utf16(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _undecodable(data) from None
    if _looks_binary(text):
        raise TextDecodeError("The input looks like a binary file, not text.", reason="binary")
    if not text.strip():
        raise TextDecodeError("The input is empty.", reason="empty")
    return text


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise TextDecodeError(
            f"Unknown encoding {encoding!r}.", reason="unknown-encoding", encoding=encoding
        ) from None
    if codec.name in {"utf-8", "utf-8-sig"}:
        codec = codecs.lookup("utf-8-sig")
    try:
        text = codec.decode(data)[0]
    except UnicodeDecodeError as error:
        raise TextDecodeError(
            f"The input is not valid {encoding} (byte {error.start}).",
            reason="undecodable",
            encoding=encoding,
        ) from None
    # UTF-16 decoders keep the byte-order mark only when told the byte order explicitly.
    return text.removeprefix("\ufeff")


def _refuse_utf16(data: bytes) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _alternating_nuls(data):
        raise TextDecodeError(
            "The input looks like UTF-16 text; pass --encoding utf-16.",
            reason="utf-16",
            encoding="utf-16",
        )


def _alternating_nuls(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even, odd) > 0.3 * half and min(even, odd) < 0.05 * half


def _undecodable(data: bytes) -> TextDecodeError:
    if b"\x00" in data[:4096]:
        return TextDecodeError("The input looks like a binary file, not text.", reason="binary")
    if _looks_cp1251(data):
        return TextDecodeError(
            "The input is not UTF-8; it looks like Windows-1251 (Cyrillic) text: "
            "pass --encoding cp1251.",
            reason="cp1251",
            encoding="cp1251",
        )
    return TextDecodeError(
        "The input is not valid UTF-8; pass --encoding with the file's encoding.",
        reason="undecodable",
    )


def _looks_cp1251(data: bytes) -> bool:
    sample = data[:65536]
    high = [byte for byte in sample if byte >= 0x80]
    if not high:
        return False
    # In Windows-1251, Cyrillic letters occupy 0xC0–0xFF plus Ёё (0xA8, 0xB8).
    letters = sum(1 for byte in high if byte >= 0xC0 or byte in (0xA8, 0xB8))
    return letters / len(high) > 0.8


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for char in sample if char < " " and char not in _ALLOWED_CONTROLS)
    return controls > _BINARY_CONTROL_SHARE * len(sample)
