#!/usr/bin/env bash
# Regenerates the real-peer captures into a scratch folder (micromdm, strongSwan, certmonger
# from apt, on loopback) and checks they show the same kinds of messages as the committed
# golden files. Skips (77) when a peer is missing or not root: dumpcap needs it.
exec "$2/captures/check-regenerate"
