"""The pieces of the email transport (kintsugi.comms.transports.email): the conversation a message joins
(thread), the mail written from it (compose), the mailbox it goes out from and its SMTP connection (mailbox),
and a mail server's errors as reasons staff understand (errors)."""
