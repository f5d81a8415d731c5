#!/usr/bin/env python3
"""Guest-role bugs for the verify gallery (docs/verify.md): tiny guests speaking runner contract 1.

  python3 guest_bugs.py no-fallback        posts INITIATE_CONTACT for 6.0 only; when the host
                                           refuses it (QEMU does not listen on connection id 4) it
                                           gives up instead of trying the next version (Linux's
                                           vmbus_connect loop over vmbus_versions[] does)
  python3 guest_bugs.py open-before-offer  posts OPENCHANNEL for relid 1 at boot, before it has
                                           negotiated a version or seen any offer
Standard library only.
"""
import json
import struct
import sys

MODE = sys.argv[1] if len(sys.argv) > 1 else ""
if MODE not in ("no-fallback", "open-before-offer"):
    sys.stderr.write("usage: guest_bugs.py no-fallback|open-before-offer\n")
    sys.exit(2)


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def post(conn, payload):
    out({"kind": "post", "connectionId": conn, "messageType": 1, "payloadSize": len(payload), "payload": payload.hex()})


def initiate_contact_6_0():
    # CHANNELMSG_INITIATE_CONTACT (14): version 6.0, target_vcpu 0, msg_sint 2, msg_vtl 0,
    # feature flags 0, monitor pages 0x101000 and 0x102000 (Linux's layout from 5.0 on).
    return struct.pack("<IIIIBBHIQQ", 14, 0, 0x00060000, 0, 2, 0, 0, 0, 0x101000, 0x102000)[:40]


def open_channel_1():
    # CHANNELMSG_OPENCHANNEL (5): relid 1, openid 1, ring GPADL 0xE1E10, target VP 0, offset 2.
    return struct.pack("<IIIIIII", 5, 0, 1, 1, 0xE1E10, 0, 2) + bytes(120)


for line in sys.stdin:
    m = json.loads(line)
    k = m["kind"]
    if k == "hello":
        out({"kind": "hello", "contract": 1, "role": "guest", "name": "guest-bug " + MODE})
    elif k == "restart":
        if MODE == "no-fallback":
            post(4, initiate_contact_6_0())
        else:
            post(1, open_channel_1())
    else:
        out({"kind": "idle"})  # after the status (and any message): nothing more, ever
