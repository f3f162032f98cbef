"""The web form channel: the public complaint form a touchpoint's QR code opens."""
