"""Email in: mailboxes read over IMAP (kintsugi.intake.channels.email.imap) or piped in by the organisation's own
mail server (`manage.py receive_email`), each mail stored raw first and read by `parse.parse_email`."""
