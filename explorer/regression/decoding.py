"""Reading a file's bytes and decoding them to text: size limit, file-type signatures, BOMs,
UTF-16 without BOM, UTF-8, then Windows-1252 / Latin-1.

Hand-written rather than charset-normalizer: on short CSVs (a header and a few rows, the usual
upload) charset-normalizer guesses wrong single-byte code pages (a Windows-1252 "temp °C;Länge €"
comes back as mac_latin2 "temp įC;Lšnge Ä"), while UTF-8-then-Windows-1252 is right for what
learners' spreadsheets write.
"""
from __future__ import annotations

import codecs
import os
import unicodedata
from pathlib import Path

from explorer.regression.data import DataError

MAX_BYTES = 5 * 1024 * 1024       # matches .streamlit/config.toml server.maxUploadSize = 5 (MB)

_MAGIC = [
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or OpenDocument file?) — save it as CSV first"),
    (b"\x1f\x8b", "a gzip-compressed file — unpack it first"), (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.xls?) — save it as CSV first"),
    (b"BZh", "a bzip2-compressed file — unpack it first"), (b"\xfd7zXZ", "an xz-compressed file — unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive"), (b"SQLite format", "an SQLite database"),
]


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_bytes(source, max_bytes: int | None) -> tuple[bytes, str]:
    too_big = (lambda size: DataError(
        f"The file is too large ({_mb(size)}); the limit is {_mb(max_bytes)}."))
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), "data"
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise DataError(f"There is no file at {str(path)[:200]!r}.")
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise too_big(size)
        data, name = path.read_bytes(), path.name
    elif hasattr(source, "read"):
        size = getattr(source, "size", None)
        if max_bytes is not None and isinstance(size, int) and size > max_bytes:
            raise too_big(size)
        try:
            source.seek(0)
        except Exception:
            pass
        data = source.read(-1 if max_bytes is None else max_bytes + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = str(getattr(source, "name", "data"))
    else:
        raise DataError("This is not a file: give a path, bytes or an open file.")
    if max_bytes is not None and len(data) > max_bytes:
        raise too_big(len(data))
    return data, name


def decode(data: bytes) -> tuple[str, str]:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DataError(f"This is not a CSV text file: it looks like {what}.")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise DataError("The file starts like UTF-16 text but cannot be decoded.") from None
    head = data[:4096]
    if b"\x00" in head:
        even = head[0::2].count(0) / max(1, len(head[0::2]))
        odd = head[1::2].count(0) / max(1, len(head[1::2]))
        enc = "utf-16-le" if odd > 0.4 and even < 0.1 else "utf-16-be" if even > 0.4 and odd < 0.1 else None
        if enc is None:
            raise DataError("This is not a CSV text file: it contains binary data.")
        try:
            return data.decode(enc), "UTF-16"
        except UnicodeDecodeError:
            raise DataError("This is not a CSV text file: it contains binary data.") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) in ("Cc", "Cs", "Co"))
    return bad > max(2, 0.01 * len(sample))

