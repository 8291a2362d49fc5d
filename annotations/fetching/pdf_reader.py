"""Reads the text of a PDF given on standard input; run by ``pdf.py`` in a child process.

The child caps its own memory and processor time before touching the file, so a PDF
made to explode (a stream that inflates to gigabytes, millions of pages, objects nested
thousands deep) ends this process, not the worker. It answers one JSON object on
standard output: ``{"pages": [{"label", "text"}...], "title", "author"}`` or
``{"error": code, "detail": text}``.

Usage: ``python pdf_reader.py MAX_PAGES MAX_CHARS MAX_MEMORY_BYTES CPU_SECONDS``
"""

from __future__ import annotations

import io
import json
import logging
import sys


def _limit_resources(memory: int, cpu_seconds: int) -> None:
    try:
        import resource
    except ImportError:  # not on this system; the parent's timeout still applies
        return
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            return value.decode("utf-16", errors="replace").strip() or None
        return value.decode("latin-1").strip() or None
    if isinstance(value, str):
        return value.strip() or None
    return None


def read(data: bytes, max_pages: int, max_chars: int) -> dict:
    from pdfminer.converter import TextConverter
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.psexceptions import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        return {"error": "encrypted", "detail": "a password is needed to open it"}
    except PDFEncryptionError as error:
        return {"error": "encrypted", "detail": str(error)}
    except PSException as error:
        return {"error": "malformed", "detail": str(error) or type(error).__name__}
    if not document.is_extractable:
        return {"error": "encrypted", "detail": "its author does not allow copying the text"}

    declared = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count")
    if isinstance(declared, int) and declared > max_pages:
        return {"error": "too_many_pages", "detail": str(declared)}

    info = resolve1(document.info[0]) if document.info else {}
    info = info if isinstance(info, dict) else {}
    manager = PDFResourceManager()
    output = io.StringIO()
    converter = TextConverter(manager, output, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, converter)
    pages: list[dict] = []
    chars = 0
    try:
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > max_pages:
                return {"error": "too_many_pages", "detail": f"more than {max_pages}"}
            output.seek(0)
            output.truncate()
            interpreter.process_page(page)
            text = output.getvalue().replace("\x0c", "").rstrip()
            chars += len(text)
            if chars > max_chars:
                return {"error": "too_long", "detail": str(max_chars)}
            pages.append({"label": str(page.label or number), "text": text})
    except PSException as error:
        return {"error": "malformed", "detail": str(error) or type(error).__name__}
    return {"pages": pages, "title": _text(info.get("Title")), "author": _text(info.get("Author"))}


def main(argv: list[str]) -> int:
    max_pages, max_chars, memory, cpu_seconds = (int(value) for value in argv[1:5])
    _limit_resources(memory, cpu_seconds)
    # pdfminer logs every oddity of a malformed file; the answer says what matters.
    logging.disable(logging.CRITICAL)
    data = sys.stdin.buffer.read()
    try:
        answer = read(data, max_pages, max_chars)
    except RecursionError:
        answer = {"error": "too_complex", "detail": "objects nested too deeply"}
    except MemoryError:
        answer = {"error": "memory", "detail": ""}
    except Exception as error:  # any other failure of the parser on a hostile file
        answer = {"error": "malformed", "detail": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
