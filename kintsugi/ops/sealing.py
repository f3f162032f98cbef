"""Backups sealed with a key from the environment (KINTSUGI_BACKUP_KEY): AES-256-GCM in 1 MiB chunks, so a backup
of any size is sealed and opened without holding it in memory, and any change, reordering or truncation of the
file is found when it is opened.

    MAGIC (16 bytes) | salt (16) | nonce prefix (8) | chunks: length (4, big-endian) | ciphertext with its tag

The key is derived from the passphrase with scrypt and the file's own salt. Each chunk's nonce is the prefix and
its 4-byte index; its associated data are the header, its index and whether it is the last, so chunks cannot be
moved, dropped or added.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"KINTSUGI-SEALED\x01"
CHUNK = 1 << 20

__all__ = ["MAGIC", "SealError", "is_sealed", "open_sealed", "seal"]


class SealError(Exception):
    pass


def _key(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)


def is_sealed(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def seal(source: Path, target: Path, passphrase: str) -> None:
    """Write `source` sealed into `target`."""
    salt, prefix = os.urandom(16), os.urandom(8)
    header = MAGIC + salt + prefix
    aead = AESGCM(_key(passphrase, salt))
    size = source.stat().st_size
    chunks = max(1, -(-size // CHUNK))
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(header)
        for index in range(chunks):
            block = plain.read(CHUNK)
            aad = header + struct.pack(">I?", index, index == chunks - 1)
            sealed = aead.encrypt(prefix + struct.pack(">I", index), block, aad)
            out.write(struct.pack(">I", len(sealed)) + sealed)


def open_sealed(source: Path, target: Path, passphrase: str) -> None:
    """Write `source` opened into `target`; SealError when the key does not open it or it was changed."""
    with source.open("rb") as sealed, target.open("wb") as out:
        header = sealed.read(len(MAGIC) + 24)
        if len(header) != len(MAGIC) + 24 or not header.startswith(MAGIC):
            raise SealError("This file is not a sealed backup.")
        salt, prefix = header[len(MAGIC):len(MAGIC) + 16], header[len(MAGIC) + 16:]
        aead = AESGCM(_key(passphrase, salt))
        index, last = 0, False
        while True:
            length_bytes = sealed.read(4)
            if not length_bytes:
                break
            if last or len(length_bytes) != 4:
                raise SealError("The sealed backup is damaged (it goes on after its end).")
            data = sealed.read(struct.unpack(">I", length_bytes)[0])
            nonce = prefix + struct.pack(">I", index)
            for is_last in (False, True):
                try:
                    out.write(aead.decrypt(nonce, data, header + struct.pack(">I?", index, is_last)))
                except InvalidTag:
                    continue
                last = is_last
                break
            else:
                raise SealError("KINTSUGI_BACKUP_KEY does not open this backup, or the backup was changed.")
            index += 1
        if not last:
            raise SealError("The sealed backup is cut short: its last part is missing.")
