"""What went wrong talking to a mail server, as a SendError staff understand: the server's own reply quoted, and
permanent for a 5xx answer (an address refused, a login refused, a message rejected) so delivery gives up at once
and says so on the case; everything else (4xx answers, refused or dropped connections, timeouts, names that do
not resolve, certificates that do not verify) is worth another try with backoff (kintsugi.comms.delivery)."""

from __future__ import annotations

import smtplib
import ssl

from django.utils.translation import gettext as _

from kintsugi.comms.transports.base import SendError

# Every connection to a mail server gives up after this long (connect, each command, the message itself).
SMTP_TIMEOUT = 30.0


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    words = " ".join(words.split())
    return f"{code} {words}".strip() if code > 0 else words


def _is_permanent(code: int) -> bool:
    return 500 <= code < 600


def smtp_failure(exc: BaseException, *, server: str, recipient: str, sender: str) -> SendError:
    """The SendError for `exc`, raised while sending from `sender` to `recipient` through `server`."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        return SendError(_("The mail server refused the address %(address)s: %(reply)s") % {
            "address": recipient, "reply": _reply(code, text)}, permanent=_is_permanent(code))
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(_("The mailbox could not log in to %(server)s: %(reply)s. An admin should check its "
                           "SMTP user and password in the settings.") % {
            "server": server, "reply": _reply(exc.smtp_code, exc.smtp_error)}, permanent=_is_permanent(exc.smtp_code))
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return SendError(_("The mail server refused to send from %(sender)s: %(reply)s") % {
            "sender": sender, "reply": _reply(exc.smtp_code, exc.smtp_error)}, permanent=_is_permanent(exc.smtp_code))
    if isinstance(exc, smtplib.SMTPDataError):
        return SendError(_("The mail server refused the message: %(reply)s") % {
            "reply": _reply(exc.smtp_code, exc.smtp_error)}, permanent=_is_permanent(exc.smtp_code))
    if isinstance(exc, smtplib.SMTPResponseException):  # the greeting or HELO refused
        return SendError(_("%(server)s answered: %(reply)s") % {
            "server": server, "reply": _reply(exc.smtp_code, exc.smtp_error)}, permanent=_is_permanent(exc.smtp_code))
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(_("%(server)s does not offer what this mailbox is set to use (%(detail)s). An admin should "
                           "check its SMTP security setting.") % {"server": server, "detail": exc}, permanent=True)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendError(_("%(server)s closed the connection: %(detail)s") % {"server": server, "detail": exc})
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(_("The certificate of %(server)s could not be verified: %(detail)s") % {
            "server": server, "detail": exc.verify_message or exc})
    if isinstance(exc, TimeoutError):
        return SendError(_("%(server)s did not answer within %(seconds)d seconds.") % {
            "server": server, "seconds": SMTP_TIMEOUT})
    if isinstance(exc, ValueError):  # an address or header the mail cannot carry: no retry makes it better
        return SendError(_("The message could not be written as an email: %(detail)s") % {"detail": exc},
                         permanent=True)
    return SendError(_("Could not reach %(server)s: %(detail)s") % {
        "server": server, "detail": exc.strerror if isinstance(exc, OSError) and exc.strerror else exc})
