"""Small PDF files written byte by byte, for tests that read PDF sources and uploads.

Each helper returns a complete, valid PDF 1.4 file (with a correct cross-reference
table) unless its name says it is hostile. Text uses the standard Helvetica font, so
only Latin-1 characters can be written.
"""

from __future__ import annotations

import zlib


def _escape(text: str) -> bytes:
    raw = text.encode("latin-1")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[str]) -> bytes:
    shown = b" T* ".join(b"(" + _escape(line) + b") Tj" for line in lines)
    return b"BT /F1 11 Tf 14 TL 72 760 Td " + shown + b" ET"


def _stream(data: bytes, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def build(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF of ``objects`` (object 1 is the catalog), numbered from 1 in order."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def text_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    first_label: int | None = None,
    encrypt_with_password: bool = False,
) -> bytes:
    """A PDF with one page per item of ``pages``, each a list of lines of text.

    ``first_label`` numbers the printed pages from that number (a report whose
    first page is page 13 of the volume). ``encrypt_with_password`` adds the standard
    security handler with a user password, so no reader can open it without one.
    """
    count = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then a page and its content per page.
    labels = b""
    if first_label is not None:
        labels = b" /PageLabels << /Nums [0 << /S /D /St %d >>] >>" % first_label
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R%s >>" % labels,
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (5 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (%s) /Producer (tests) >>" % _escape(title or ""),
    ]
    for index, lines in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * index)
        )
        objects.append(_stream(_content(lines)))
    trailer = b"/Info 4 0 R "
    if encrypt_with_password:
        objects.append(
            b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <%s> /U <%s> >>" % (b"6f" * 32, b"75" * 32)
        )
        trailer += b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (len(objects), b"01" * 16, b"01" * 16)
    return build(objects, trailer=trailer)


def scanned_pdf() -> bytes:
    """A page with only a drawing on it: what a scan without recognised text gives."""
    return build(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(b"0.2 0.2 0.2 rg 72 72 468 648 re f"),
        ]
    )


def many_pages_pdf(count: int) -> bytes:
    """``count`` real pages sharing one small content stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + i) for i in range(count)), count),
        _stream(b"0 0 0 rg 72 72 10 10 re f"),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * count
    return build(objects)


def deeply_nested_pdf(depth: int) -> bytes:
    """A page tree ``depth`` levels deep, each level a Pages node holding the next."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + level))
    objects.append(b"<< /Type /Page /MediaBox [0 0 612 792] >>")
    return build(objects)


def inflating_pdf(inflated_bytes: int) -> bytes:
    """A small file whose one content stream inflates to ``inflated_bytes`` of spaces."""
    squeezer = zlib.compressobj(1)
    chunk = b" " * (1 << 20)
    data = b"".join(squeezer.compress(chunk) for _ in range(inflated_bytes >> 20))
    data += squeezer.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    return build(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream,
        ]
    )
