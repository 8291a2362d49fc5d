"""The archived capture of one fetch: a WARC 1.1 file a reader can replay and verify.

A capture holds four records: ``warcinfo`` (what wrote it), the ``request`` as sent, the
``response`` as received, and a ``metadata`` record with the SHA-256 of the body, the
capture time, the address reached and the redirects followed. warcio computes the
records' own digests, so ``warcio check`` can verify every byte.

The fetcher hands over the body already decompressed, so the response record carries
the decoded body: ``Content-Encoding`` and ``Transfer-Encoding`` are dropped from its
headers (kept under ``X-Archive-Orig-`` names, as web archives do) and
``Content-Length`` states the stored length, so that replaying the record is consistent.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from .client import FetchResult
from .urls import parse_target

WARC_CONTENT_TYPE = "application/warc"
SOFTWARE = "factcheck"
# Headers that describe the transfer rather than the body we store.
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})

__all__ = ["WARC_CONTENT_TYPE", "CaptureRecords", "build_capture", "read_capture"]


def build_capture(result: FetchResult, *, captured_at: datetime) -> bytes:
    """The gzipped WARC 1.1 bytes recording ``result`` as captured at ``captured_at``."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    date = datetime_to_iso_date(captured_at.astimezone(UTC).replace(tzinfo=None), use_micros=True)
    uri = result.final_url

    writer.write_record(
        writer.create_warcinfo_record(
            "",
            {
                "software": SOFTWARE,
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "http-header-user-agent": result.request_headers.get("User-Agent", ""),
            },
        )
    )

    target = parse_target(uri)
    request_headers = StatusAndHeaders(
        f"GET {target.request_target} HTTP/1.1",
        list(result.request_headers.items()),
        is_http_request=True,
    )
    request = writer.create_warc_record(
        uri,
        "request",
        http_headers=request_headers,
        warc_headers_dict={"WARC-Date": date},
    )

    response_headers = StatusAndHeaders(
        f"{result.status} {result.reason}".strip(),
        _stored_response_headers(result),
        protocol="HTTP/1.1",
    )
    response_fields = {"WARC-Date": date}
    if result.address:
        response_fields["WARC-IP-Address"] = result.address
    response = writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(result.body),
        length=len(result.body),
        http_headers=response_headers,
        warc_headers_dict=response_fields,
    )
    request.rec_headers.add_header(
        "WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID")
    )
    writer.write_record(request)
    writer.write_record(response)

    metadata = _metadata_fields(result, captured_at)
    writer.write_record(
        writer.create_warc_record(
            uri,
            "metadata",
            payload=io.BytesIO(metadata),
            length=len(metadata),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
    )
    return buffer.getvalue()


def _stored_response_headers(result: FetchResult) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for name, value in result.response_headers:
        if name.lower() in _TRANSFER_HEADERS:
            headers.append((f"X-Archive-Orig-{name}", value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(len(result.body))))
    return headers


def _metadata_fields(result: FetchResult, captured_at: datetime) -> bytes:
    fields = [
        ("payload-sha256", result.sha256),
        ("capture-time", captured_at.astimezone(UTC).isoformat().replace("+00:00", "Z")),
        ("requested-uri", result.url),
        ("final-uri", result.final_url),
    ]
    if result.address:
        fields.append(("ip-address", result.address))
    for hop in result.redirects:
        fields.append(("redirect", f"{hop.status} {hop.from_url} {hop.to_url}"))
    fields.append(("fetch-seconds", f"{result.elapsed:.3f}"))
    return "".join(f"{name}: {value}\r\n" for name, value in fields).encode("utf-8")


class CaptureRecords:
    """What a stored capture says, read back with warcio (for checks and exports)."""

    def __init__(self, data: bytes) -> None:
        self.types: list[str] = []
        self.target_uri: str | None = None
        self.status: int | None = None
        self.body: bytes | None = None
        self.metadata: dict[str, list[str]] = {}
        for record in ArchiveIterator(io.BytesIO(data), check_digests=True):
            self.types.append(record.rec_type)
            content = record.content_stream().read()
            if record.digest_checker.passed is False:
                raise ValueError(f"The {record.rec_type} record's digest does not match.")
            if record.rec_type == "response":
                self.target_uri = record.rec_headers.get_header("WARC-Target-URI")
                self.status = int(record.http_headers.get_statuscode())
                self.body = content
            elif record.rec_type == "metadata":
                for line in content.decode("utf-8").splitlines():
                    name, _sep, value = line.partition(": ")
                    self.metadata.setdefault(name, []).append(value)


def read_capture(data: bytes) -> CaptureRecords:
    """Parse a capture, checking every record's digest; ``ValueError`` when one fails."""
    return CaptureRecords(data)
