"""Sealed backups: only the key opens them, and any change, reordering or truncation of the file is refused."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from kintsugi.ops.sealing import CHUNK, MAGIC, SealError, is_sealed, open_sealed, seal

KEY = "một câu dài làm khoá sao lưu 2026"


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "backup.tar"
    path.write_bytes(os.urandom(2 * CHUNK + 12345))  # three chunks, the last a short one
    return path


def test_a_sealed_file_opens_with_its_key_to_the_same_bytes(plain: Path, tmp_path: Path) -> None:
    sealed, opened = tmp_path / "backup.tar.sealed", tmp_path / "opened.tar"
    seal(plain, sealed, KEY)
    assert is_sealed(sealed)
    assert not is_sealed(plain)
    assert plain.read_bytes() not in sealed.read_bytes()
    open_sealed(sealed, opened, KEY)
    assert opened.read_bytes() == plain.read_bytes()


def test_an_empty_file_seals_and_opens(tmp_path: Path) -> None:
    empty, sealed, opened = tmp_path / "empty", tmp_path / "sealed", tmp_path / "opened"
    empty.write_bytes(b"")
    seal(empty, sealed, KEY)
    open_sealed(sealed, opened, KEY)
    assert opened.read_bytes() == b""


def _chunks(data: bytes) -> tuple[bytes, list[bytes]]:
    header, rest, chunks = data[:len(MAGIC) + 24], data[len(MAGIC) + 24:], []
    while rest:
        (length,) = struct.unpack(">I", rest[:4])
        chunks.append(rest[:4 + length])
        rest = rest[4 + length:]
    return header, chunks


@pytest.mark.parametrize("change", ["wrong key", "a byte flipped", "chunks swapped", "cut short", "one added"])
def test_the_wrong_key_or_a_changed_file_is_refused(plain: Path, tmp_path: Path, change: str) -> None:
    sealed, opened = tmp_path / "backup.tar.sealed", tmp_path / "opened.tar"
    seal(plain, sealed, KEY)
    header, chunks = _chunks(sealed.read_bytes())
    assert len(chunks) == 3
    key = KEY
    if change == "wrong key":
        key = KEY + "!"
    elif change == "a byte flipped":
        middle = bytearray(chunks[1])
        middle[100] ^= 1
        chunks[1] = bytes(middle)
    elif change == "chunks swapped":
        chunks[0], chunks[1] = chunks[1], chunks[0]
    elif change == "cut short":
        chunks = chunks[:2]
    else:
        chunks.append(chunks[2])
    sealed.write_bytes(header + b"".join(chunks))
    with pytest.raises(SealError):
        open_sealed(sealed, opened, key)
