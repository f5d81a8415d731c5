#!/usr/bin/env python3
"""A small QEMU-like VMBus host speaking the vmbus-spec runner contract 1 (docs/verify.md).

Written from docs/verify.md and the behaviour of QEMU's hw/hyperv/vmbus.c (vmbus_recv_message,
enqueue_incoming_message, vmbus_run, process_message, handle_*, send_*, vmbus_msg_cb and the
complete_* functions) and hw/hyperv/hyperv.c (hyperv_hcall_post_message/signal_event). Standard
library only. It plays the `qemu` profile; QEMU's crashes (asserts, NULL dereferences) are the
spec's defects and are handled as the spec says: the message is dropped.

Gallery (docs/verify.md): VMBUS_BUG=<name> re-creates a known bug, see BUGS below.
"""
import json
import os
import signal
import struct
import sys

CONTRACT = 1
BUG = os.environ.get("VMBUS_BUG", "")
BUGS = {
    "gpadl-body-complete": "QEMU: GPADL_BODY for a complete GPADL trips assert(num_gfns_left) and aborts",
    "unload-before-contact": "QEMU: UNLOAD before INITIATE_CONTACT posts through a NULL SINT route (segfault)",
    "range-buflen-underflow": "QEMU: GPADL_HEADER with range_buflen < 8 underflows num_gfns; g_new0 of 2^32 PFNs aborts",
    "accept-version-5": "a host that accepts VMBus 5.0, which QEMU (VMBUS_VERSION_CURRENT = 4.0) refuses",
    "panic-guest-type": "a host that panics on a message type meant for the guest (e.g. VERSION_RESPONSE)",
    "no-size-align": "a host that posts the exact message length as payload_size instead of rounding it up to 8 (VMBUS_MESSAGE_SIZE_ALIGN)",
}
if BUG and BUG not in BUGS:
    sys.stderr.write("unknown VMBUS_BUG %r (known: %s)\n" % (BUG, ", ".join(BUGS)))
    sys.exit(2)

# Hypercall statuses (Hyper-V TLFS).
HV_STATUS_SUCCESS = 0
HV_STATUS_INVALID_HYPERCALL_INPUT = 3
HV_STATUS_INVALID_PORT_ID = 17
HV_STATUS_INVALID_CONNECTION_ID = 18
HV_STATUS_INSUFFICIENT_BUFFERS = 19

HV_MESSAGE_VMBUS = 1
MESSAGE_PAYLOAD = 240
VMBUS_MESSAGE_CONNECTION_ID = 1
VMBUS_EVENT_CONNECTION_ID = 2
VMBUS_CHAN_CONNECTION_OFFSET = 16
VMBUS_SINT = 2
HV_MSG_QUEUE_LEN = 16
VMBUS_MSG_COUNT = 18
VMBUS_VERSION_CURRENT = 0x00040000  # 4.0 (Windows 10)
VMBUS_VERSION_WIN8 = 0x00020004
NO_VP = 0xFFFFFFFF

# Message types.
OFFERCHANNEL, OPENCHANNEL, OPENCHANNEL_RESULT, CLOSECHANNEL = 1, 5, 6, 7
REQUESTOFFERS, ALLOFFERS_DELIVERED = 3, 4
GPADL_HEADER, GPADL_BODY, GPADL_CREATED, GPADL_TEARDOWN, GPADL_TORNDOWN = 8, 9, 10, 11, 12
INITIATE_CONTACT, VERSION_RESPONSE, UNLOAD, UNLOAD_RESPONSE = 14, 15, 16, 17
HOST_TO_GUEST = {OFFERCHANNEL, 2, ALLOFFERS_DELIVERED, OPENCHANNEL_RESULT, GPADL_CREATED, GPADL_TORNDOWN, VERSION_RESPONSE, UNLOAD_RESPONSE}

# Bus states (QEMU VMBUS_LISTEN ... VMBUS_UNLOAD).
LISTEN, HANDSHAKE, OFFER, CREATE_GPADL, TEARDOWN_GPADL, OPEN_CHANNEL, UNLOAD_STATE = range(7)


def out(obj):
    sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")


def guid_bytes(text):
    """A GUID in its little-endian wire form (first three groups byte-swapped)."""
    h = text.replace("-", "")
    raw = bytes.fromhex(h)
    return raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]


class Channel:
    def __init__(self, relid, device, subchan_idx):
        self.relid = relid
        self.device = device
        self.subchan_idx = subchan_idx
        self.offer_state = "init"  # init, sending, sent
        self.state = "init"  # init, opening, open
        self.is_open = False
        self.open_id = 0
        self.target_vp = 0
        self.ring_gpadl = 0
        self.offset = 0


class Gpadl:
    def __init__(self, gid, child_relid, num_gfns):
        self.id = gid
        self.child_relid = child_relid
        self.num_gfns = num_gfns
        self.seen_gfns = 0
        self.state = "init"  # init, alive, tearingdown, torndown
        self.refcount = 1


class Host:
    def __init__(self, vcpus, devices):
        self.vcpus = vcpus
        self.devices = devices
        self.channels = []
        self.gpadls = []  # newest first, like QEMU's QTAILQ_INSERT_HEAD
        self.rx_queue = []
        self.in_flight = None
        self.state = LISTEN
        self.version = 0
        self.target_vp = NO_VP
        self.sint_route = False
        for i, d in enumerate(devices):
            self.realize(i, d)

    # ---- channels and GPADLs ----
    def realize(self, index, device):
        n = 1 + int(device["subChannels"])
        used = {c.relid for c in self.channels}
        free = [r for r in range(1, 2048) if r not in used][:n]
        if len(free) < n:
            return  # "no spare channel id"
        for k, relid in enumerate(free):
            self.channels.append(Channel(relid, index, k))

    def channel(self, relid):
        return next((c for c in self.channels if c.relid == relid), None)

    def gpadl(self, gid):
        return next((g for g in self.gpadls if g.id == gid), None)

    def put_gpadl(self, gid):
        g = self.gpadl(gid)
        if g is None:
            return
        g.refcount -= 1
        if g.refcount <= 0:
            self.gpadls.remove(g)

    def close_channel(self, ch):
        if ch.is_open:
            ch.is_open = False
            self.put_gpadl(ch.ring_gpadl)

    def reset_device(self, device):
        for ch in self.channels:
            if ch.device == device:
                self.close_channel(ch)
                ch.state = "init"

    def reset_bus(self):
        for d in sorted({c.device for c in self.channels}):
            self.reset_device(d)
        self.deinit()

    def deinit(self):
        for g in list(self.gpadls):
            if g.state != "torndown":
                self.put_gpadl(g.id)
        for ch in self.channels:
            ch.offer_state = "init"
        self.state = LISTEN
        self.version = 0
        self.target_vp = NO_VP
        self.sint_route = False
        self.in_flight = None

    def initialized(self):
        bad = BUG == "accept-version-5" and self.version == 0x00050000
        return 0 < self.version <= VMBUS_VERSION_CURRENT or bad

    # ---- hypercalls ----
    def post_message(self, conn, msg_type, size, payload):
        if size > MESSAGE_PAYLOAD:
            return HV_STATUS_INVALID_HYPERCALL_INPUT
        if conn & 0xFFFFFF != VMBUS_MESSAGE_CONNECTION_ID:
            return HV_STATUS_INVALID_CONNECTION_ID
        if msg_type != HV_MESSAGE_VMBUS or size < 8:
            return HV_STATUS_INVALID_HYPERCALL_INPUT
        data = (payload + bytes(MESSAGE_PAYLOAD))[:MESSAGE_PAYLOAD]
        t = struct.unpack_from("<I", data, 0)[0]
        if t == 0 or t >= VMBUS_MSG_COUNT:
            return HV_STATUS_INVALID_HYPERCALL_INPUT
        if len(self.rx_queue) >= HV_MSG_QUEUE_LEN:
            return HV_STATUS_INSUFFICIENT_BUFFERS
        self.rx_queue.append((size, data))
        return HV_STATUS_SUCCESS

    def signal_event(self, conn, flag):
        if flag != 0:
            return HV_STATUS_INVALID_PORT_ID
        if conn > 0xFFFFFF:
            return HV_STATUS_INVALID_HYPERCALL_INPUT
        if conn == VMBUS_EVENT_CONNECTION_ID:
            return HV_STATUS_SUCCESS
        if any(c.is_open and VMBUS_CHAN_CONNECTION_OFFSET + c.relid == conn for c in self.channels):
            return HV_STATUS_SUCCESS
        return HV_STATUS_INVALID_CONNECTION_ID

    # ---- deferred work: one vmbus_run ----
    def runnable(self):
        return self.in_flight is None and (self.state != LISTEN or len(self.rx_queue) > 0)

    def run(self):
        if self.in_flight is not None:
            return
        {LISTEN: self.process_message, HANDSHAKE: self.send_handshake, OFFER: self.send_offer,
         CREATE_GPADL: self.send_create_gpadl, TEARDOWN_GPADL: self.send_teardown_gpadl,
         OPEN_CHANNEL: self.send_open_channel, UNLOAD_STATE: self.send_unload}[self.state]()

    def post(self, payload):
        if not self.sint_route:
            if BUG == "unload-before-contact":
                os.kill(os.getpid(), signal.SIGSEGV)
            self.reset_bus()  # the spec: nothing posted, bus reset as after a fatal failure
            return
        size = len(payload) if BUG == "no-size-align" else (len(payload) + 7) // 8 * 8  # VMBUS_MESSAGE_SIZE_ALIGN
        data = payload + bytes(size - len(payload))
        self.in_flight = data
        out({"kind": "postMessage", "bytes": data.hex(), "payloadSize": size, "targetVp": self.target_vp, "sint": VMBUS_SINT})

    def process_message(self):
        size, b = self.rx_queue.pop(0)
        if size < 8:
            return
        t = struct.unpack_from("<I", b, 0)[0]
        if BUG == "panic-guest-type" and t in HOST_TO_GUEST:
            raise RuntimeError("unexpected host-to-guest message type %d" % t)
        handler = {INITIATE_CONTACT: self.handle_initiate_contact, REQUESTOFFERS: self.handle_request_offers,
                   GPADL_HEADER: self.handle_gpadl_header, GPADL_BODY: self.handle_gpadl_body,
                   GPADL_TEARDOWN: self.handle_gpadl_teardown, OPENCHANNEL: self.handle_open_channel,
                   CLOSECHANNEL: self.handle_close_channel}.get(t)
        if t == UNLOAD:
            self.state = UNLOAD_STATE
        elif handler is not None:
            handler(b, size)

    def handle_initiate_contact(self, b, size):
        if size < 40:
            return
        version, vcpu = struct.unpack_from("<II", b, 8)
        self.reset_bus()
        self.target_vp = vcpu
        self.version = version
        self.state = HANDSHAKE
        if vcpu == NO_VP:
            return
        if vcpu >= self.vcpus:
            self.deinit()  # QEMU dereferences a NULL CPU here; the spec: no route, no reply
            return
        self.sint_route = True

    def handle_request_offers(self, b, size):
        if not self.initialized():
            return
        first = next((c for c in self.channels if c.offer_state == "init"), None)
        if first:
            first.offer_state = "sending"
        self.state = OFFER

    def handle_gpadl_header(self, b, size):
        if size < 28 or not self.initialized():
            return
        relid, gid, buflen, rangecount = struct.unpack_from("<IIHH", b, 8)
        num_gfns = (((buflen - rangecount * 8) % (1 << 64)) // 8) & 0xFFFFFFFF
        byte_count, byte_offset = struct.unpack_from("<II", b, 20)
        if rangecount != 1 or byte_offset != 0 or byte_count != (num_gfns << 12) & 0xFFFFFFFF:
            return
        if self.gpadl(gid):
            return
        if buflen < 8 * rangecount:
            if BUG == "range-buflen-underflow":
                os.kill(os.getpid(), signal.SIGABRT)  # g_new0(uint64_t, 0xFFFFFFFF) fails
            return
        g = Gpadl(gid, relid, num_gfns)
        g.seen_gfns = min(num_gfns, max(0, (size - 28) // 8))
        self.gpadls.insert(0, g)
        if g.seen_gfns >= num_gfns:
            self.state = CREATE_GPADL

    def handle_gpadl_body(self, b, size):
        if size < 16 or not self.initialized():
            return
        gid = struct.unpack_from("<I", b, 12)[0]
        g = self.gpadl(gid)
        if g is None:
            return
        left = g.num_gfns - g.seen_gfns
        if left <= 0:
            if BUG == "gpadl-body-complete":
                os.kill(os.getpid(), signal.SIGABRT)  # assert(num_gfns_left)
            return
        g.seen_gfns += min(left, max(0, (size - 16) // 8))
        if g.seen_gfns >= g.num_gfns:
            self.state = CREATE_GPADL

    def handle_gpadl_teardown(self, b, size):
        if size < 16 or not self.initialized():
            return
        gid = struct.unpack_from("<I", b, 12)[0]
        g = self.gpadl(gid)
        if g is None or g.state == "torndown":
            return
        g.state = "tearingdown"
        self.state = TEARDOWN_GPADL

    def handle_open_channel(self, b, size):
        if size < 148 or not self.initialized():
            return
        relid, open_id, gid, vp, offset = struct.unpack_from("<IIIII", b, 8)
        ch = self.channel(relid)
        if ch is None or ch.state != "init":
            return
        ch.ring_gpadl, ch.offset, ch.target_vp, ch.open_id = gid, offset, vp, open_id
        self.open_channel(ch)
        ch.state = "opening"
        self.state = OPEN_CHANNEL

    def open_channel(self, ch):
        g = self.gpadl(ch.ring_gpadl)
        if g is None or g.seen_gfns < g.num_gfns:
            return
        g.refcount += 1
        # ringbufs_init: both rings need 2 pages (u32 arithmetic, as QEMU).
        if ch.offset <= 1 or g.num_gfns <= (ch.offset + 1) & 0xFFFFFFFF or ch.offset >= g.num_gfns:
            self.put_gpadl(g.id)
            return
        reuse = ch.target_vp == self.target_vp or any(c.is_open and c.target_vp == ch.target_vp for c in self.channels)
        if not reuse and ch.target_vp >= self.vcpus:
            self.put_gpadl(g.id)
            return
        if self.devices[ch.device]["openResult"] == "fail":
            self.put_gpadl(g.id)
            return
        ch.is_open = True

    def handle_close_channel(self, b, size):
        if size < 12 or not self.initialized():
            return
        relid = struct.unpack_from("<I", b, 8)[0]
        ch = self.channel(relid)
        if ch is None:
            return
        self.close_channel(ch)
        ch.state = "init"
        if not any(c.device == ch.device and c.is_open for c in self.channels):
            self.reset_device(ch.device)  # vdev_reset_on_close

    # ---- send_* (the run of each non-LISTEN state) ----
    def send_handshake(self):
        # struct vmbus_message_version_response: header, version_supported, connection_state, padding: 12 bytes.
        self.post(struct.pack("<IIBBH", VERSION_RESPONSE, 0, 1 if self.initialized() else 0, 0, 0))

    def send_offer(self):
        ch = next((c for c in self.channels if c.offer_state == "sending"), None)
        if ch is None:
            self.post(struct.pack("<II", ALLOFFERS_DELIVERED, 0))
            return
        d = self.devices[ch.device]
        m = struct.pack("<II", OFFERCHANNEL, 0) + guid_bytes(d["interfaceType"]) + guid_bytes(d["interfaceInstance"])
        m += struct.pack("<QQHH", 0, 0, d["channelFlags"], d["mmioMegabytes"]) + bytes(120)
        m += struct.pack("<HHIBBHI", ch.subchan_idx, 0, ch.relid, 0, 0, 1, VMBUS_CHAN_CONNECTION_OFFSET + ch.relid)
        m += bytes(4)  # 200-byte unpacked struct (tail padding)
        self.post(m)

    def nothing_to_send(self):
        self.state = LISTEN  # QEMU: assert(false); the spec returns to LISTEN

    def send_create_gpadl(self):
        g = next((x for x in self.gpadls if x.seen_gfns >= x.num_gfns and x.state == "init"), None)
        if g is None:
            return self.nothing_to_send()
        self.post(struct.pack("<IIIII", GPADL_CREATED, 0, g.child_relid, g.id, 0))

    def send_teardown_gpadl(self):
        g = next((x for x in self.gpadls if x.state == "tearingdown"), None)
        if g is None:
            return self.nothing_to_send()
        self.post(struct.pack("<III", GPADL_TORNDOWN, 0, g.id))

    def send_open_channel(self):
        ch = next((c for c in self.channels if c.state == "opening"), None)
        if ch is None:
            return self.nothing_to_send()
        self.post(struct.pack("<IIIII", OPENCHANNEL_RESULT, 0, ch.relid, ch.open_id, 0 if ch.is_open else 1))

    def send_unload(self):
        self.rx_queue = []
        self.post(struct.pack("<II", UNLOAD_RESPONSE, 0))

    # ---- vmbus_msg_cb: the delivery result of the message in flight ----
    def delivery(self, result):
        if self.in_flight is None:
            return
        if result == "slotBusy":
            self.in_flight = None  # the same send_* runs again
            return
        if result == "fatal":
            self.reset_bus()
            return
        self.in_flight = None
        if self.complete():
            self.state = LISTEN

    def complete(self):
        if self.state == OFFER:
            ch = next((c for c in self.channels if c.offer_state == "sending"), None)
            if ch is None:
                return True
            ch.offer_state = "sent"
            nxt = next((c for c in self.channels if c.offer_state == "init"), None)
            if nxt:
                nxt.offer_state = "sending"
            return False
        if self.state == CREATE_GPADL:
            g = next((x for x in self.gpadls if x.seen_gfns >= x.num_gfns and x.state == "init"), None)
            if g:
                g.state = "alive"
        elif self.state == TEARDOWN_GPADL:
            g = next((x for x in self.gpadls if x.state == "tearingdown"), None)
            if g:
                g.state = "torndown"
                self.put_gpadl(g.id)
        elif self.state == OPEN_CHANNEL:
            ch = next((c for c in self.channels if c.state == "opening"), None)
            if ch:
                ch.state = "open" if ch.is_open else "init"
        elif self.state == UNLOAD_STATE:
            self.reset_bus()
        return True

    def device_signal(self, relid):
        ch = self.channel(relid)
        if ch is not None and ch.is_open:
            out({"kind": "channelSignal", "relid": relid, "targetVp": ch.target_vp})


def main():
    host = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        m = json.loads(line)
        k = m["kind"]
        if k == "hello":
            if m["contract"] != CONTRACT or m["role"] != "host" or m["profile"] != "qemu":
                out({"kind": "error", "message": "python-host speaks contract 1, role host, profile qemu"})
            else:
                out({"kind": "hello", "contract": CONTRACT, "role": "host", "name": "python-host" + (" [" + BUG + "]" if BUG else "")})
            sys.stdout.flush()
            continue
        if k == "restart":
            host = Host(m["vcpus"], m["devices"])
        elif k == "postMessage":
            status = host.post_message(m["connectionId"], m["messageType"], m["payloadSize"], bytes.fromhex(m["payload"]))
            out({"kind": "hypercallStatus", "status": status})
        elif k == "signalEvent":
            out({"kind": "hypercallStatus", "status": host.signal_event(m["connectionId"], m["flagNumber"])})
        elif k == "deliveryResult":
            host.delivery(m["result"])
        elif k == "deviceAdded":
            host.devices.append(m["device"])
            host.realize(len(host.devices) - 1, m["device"])
        elif k == "deviceSignal":
            host.device_signal(m["relid"])
        elif k == "reset":
            host.reset_bus()
        # rescindChannel: QEMU never rescinds.
        while host.runnable():  # run deferred work to quiescence before idle
            host.run()
        out({"kind": "idle"})
        sys.stdout.flush()


if __name__ == "__main__":
    main()
