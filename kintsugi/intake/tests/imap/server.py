"""A real IMAP server for the tests: Debian's Dovecot (`dovecot-imapd`) started from a configuration of our own in
a temporary folder, on free 127.0.0.1 ports, with no system service and no root needed, like the throwaway
PostgreSQL cluster of scripts/with_postgres.sh.

One server per test session (per xdist worker: each has its own session), one user (`care`, a plaintext password
in a passwd-file), mail in a maildir under the folder; each test gets a fresh IMAP folder of its own. Two listeners:
IMAPS (TLS from the first byte) and plain IMAP with STARTTLS, both under a self-signed certificate made here with
`cryptography` for `localhost` and 127.0.0.1, which the tests trust through settings.MAIL_TLS_CA_FILE.

As root (CI) Dovecot will not run its login processes as root nor read mail as uid 0: the logins run as the
package's own `dovenull`, its internal processes as `dovecot`, and the mail belongs to `nobody`. Otherwise all of
it runs as the current user. Mail is delivered the way a mail server would hand it to a mailbox: IMAP APPEND.
"""

from __future__ import annotations

import contextlib
import datetime
import grp
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from imap_tools import MailBox

DOVECOT = "/usr/sbin/dovecot"
USER = "care"
PASSWORD = "mật-khẩu-care-2026"  # not ASCII: the receiver must log in with AUTH=PLAIN in UTF-8
START_TIMEOUT_S = 10.0


def require_dovecot() -> str:
    """The Dovecot binary; without it the IMAP tests are skipped on a developer's machine and fail in CI (`.ci/run`
    installs dovecot-imapd, so a missing server there is a broken setup, not a reason to test less)."""
    binary = shutil.which("dovecot") or DOVECOT
    if os.access(binary, os.X_OK):
        return binary
    reason = "Dovecot is not installed (apt-get install dovecot-imapd): the IMAP tests need a real IMAP server"
    if os.environ.get("CI"):
        pytest.fail(reason + "; .ci/run should have installed it")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_file.chmod(0o600)
    return cert_file, key_file


@dataclass
class Dovecot:
    """A running Dovecot: where it listens, whom it lets in, and how mail is put into it."""

    root: Path
    imaps_port: int
    imap_port: int
    ca_file: Path
    process: subprocess.Popen[bytes]
    user: str = USER
    password: str = PASSWORD
    host: str = "127.0.0.1"
    folders: list[str] = field(default_factory=list)

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text("utf-8", "replace") if path.exists() else ""

    def client(self) -> MailBox:
        """A logged-in IMAPS client, as a customer's mail server would be (for APPEND and folder changes)."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        return MailBox(self.host, self.imaps_port, timeout=10, ssl_context=context).login_utf8(
            self.user, self.password, initial_folder=None)

    def new_folder(self) -> str:
        """A fresh, empty folder for one test."""
        name = "T" + uuid.uuid4().hex[:12]
        with self.client() as mailbox:
            mailbox.folder.create(name)
        return name

    def append(self, raw: bytes, folder: str, *, seen: bool = False) -> None:
        with self.client() as mailbox:
            mailbox.append(raw, folder, flag_set=["\\Seen"] if seen else None)

    def uidvalidity(self, folder: str) -> int:
        with self.client() as mailbox:
            return int(mailbox.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])

    def recreate(self, folder: str) -> None:
        """Delete the folder and make it again under the same name: its mail is gone, its UIDVALIDITY is new and its
        UIDs start again from 1 (what a server restored from a backup, or a migrated mailbox, looks like)."""
        with self.client() as mailbox:
            mailbox.folder.delete(folder)
            mailbox.folder.create(folder)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, 9)
                self.process.wait(5)


def _config(root: Path, cert: Path, key: Path, imaps_port: int, imap_port: int) -> str:
    if os.geteuid() == 0:
        login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
    else:  # everything as the current user: its sockets cannot be given to another user or group
        me = pwd.getpwuid(os.getuid())
        login_user = internal_user = me.pw_name
        internal_group = grp.getgrgid(me.pw_gid).gr_name
    return f"""# Written by kintsugi/intake/tests/imap/server.py for one test session.
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = 1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
mail_location = maildir:~/Maildir
mailbox_idle_check_interval = 1 secs
protocol imap {{
  mail_max_userip_connections = 200
}}
# No growing delay after failed logins (a test logs in with a wrong password on purpose): the auth process cannot
# reach the penalty counter.
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
# chroot needs root; a test server has nothing to hide from its own logins.
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
"""


def _wait_ready(server: Dovecot) -> None:
    context = ssl.create_default_context(cafile=str(server.ca_file))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"dovecot exited ({server.process.returncode}):\n{server.log}")
        try:
            with socket.create_connection((server.host, server.imaps_port), timeout=1) as raw, \
                    context.wrap_socket(raw, server_hostname=server.host) as tls:
                if tls.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"dovecot did not answer within {START_TIMEOUT_S:g} s:\n{server.log}")


def start_dovecot() -> Dovecot:
    """Start a fresh Dovecot in a new temporary folder (the caller stops it and removes `root`)."""
    binary = require_dovecot()
    # Under /tmp and open to be traversed: as root the mail is read by `nobody`, and pytest's own temporary
    # folders are root's alone.
    root = Path(tempfile.mkdtemp(prefix="kintsugi-dovecot-", dir="/tmp"))
    root.chmod(0o755)
    cert, key = _self_signed(root)
    home = root / "mail" / USER
    home.mkdir(parents=True)
    owner = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.getuid())
    for path in (root / "mail", home):
        os.chown(path, owner.pw_uid, owner.pw_gid)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}:{owner.pw_uid}:{owner.pw_gid}::{home}::\n", "utf-8")
    last_error: Exception | None = None
    for _ in range(3):  # a free port can be taken between choosing and binding it
        imaps_port, imap_port = _free_port(), _free_port()
        (root / "dovecot.conf").write_text(_config(root, cert, key, imaps_port, imap_port), "utf-8")
        process = subprocess.Popen([binary, "-F", "-c", str(root / "dovecot.conf")], start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server = Dovecot(root=root, imaps_port=imaps_port, imap_port=imap_port, ca_file=cert, process=process)
        try:
            _wait_ready(server)
            return server
        except RuntimeError as exc:
            server.stop()
            last_error = exc
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"dovecot did not start: {last_error}")


@contextlib.contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    server = start_dovecot()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
