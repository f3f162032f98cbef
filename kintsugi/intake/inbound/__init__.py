"""The inbound pipeline every channel feeds (ARCHITECTURE.md, "The flow of one failure", points 1-3): store the
payload raw first (`store.store_payloads`), read it into one `InboundMessage` (`normalised`, by the channel's
parser in `parsers.PARSERS`), and put it on a case through the one door (`pipeline.process_payloads`, threading
in `threads`, files in `files`)."""
