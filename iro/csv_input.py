"""Reading uploaded CSV text safely, shared by the importers (the SSDA903 return and the
Standard Safeguarding Dataset): the encoding from a byte-order mark, a stream that counts the
bytes it hands on against a limit, and sizes in words."""

from __future__ import annotations

import codecs
import io
from typing import BinaryIO, Protocol


class ByteCounter(Protocol):
    def add_bytes(self, n: int, name: str) -> None: ...


def encoding_of(head: bytes) -> str | None:
    """The encoding a byte-order mark names, or None (no mark)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def human_size(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:,.0f} KB"


class CountingReader(io.RawIOBase):
    """A binary stream that counts what it hands on and stops at the limit (the counter raises):
    a zip member is read through it in chunks, so a file larger than it says is refused as it
    grows."""

    def __init__(self, stream: BinaryIO, counter: ByteCounter, name: str):
        self.stream, self.counter, self.name = stream, counter, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        self.counter.add_bytes(len(data), self.name)
        buffer[: len(data)] = data
        return len(data)
