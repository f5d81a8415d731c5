/**
 * Why `strict` is the profile that interoperates with everyone: each of its choices, beside what
 * QEMU (hw/hyperv/vmbus.c, hyperv.c), OpenVMM (vmbus_server at 1488a37b) and a Linux guest
 * (drivers/hv) do. Data only; docs/host.md renders it (src/docs/host-doc.ts).
 */
export interface StrictChoice {
  readonly choice: string;
  readonly strict: string;
  readonly qemu: string;
  readonly openvmm: string;
  readonly linux: string;
  readonly rules: string;
}

export const STRICT_CHOICES: readonly StrictChoice[] = [
  {
    choice: "replies in flight",
    strict: "one at a time (outgoing queue; incoming processed only when nothing waits)",
    qemu: "one at a time (state runner)",
    openvmm: "all at once to the KVM backend's unbounded per-VP SynIC queue",
    linux: "handles any number, in order (vmbus_on_msg_dpc)",
    rules: "HOST-RUN-1, HOST-OPENVMM-SEND-1",
  },
  {
    choice: "versions accepted",
    strict: "exactly the defined list up to 6.0",
    qemu: "any 0 < v ≤ 4.0",
    openvmm: "exactly the defined list up to 6.0 (SUPPORTED_VERSIONS)",
    linux: "asks newest first from its compiled list (mainline from 6.0, Debian 6.1/6.12 from 5.3)",
    rules: "HOST-CONNECT-2, HOST-CONNECT-3, HOST-OPENVMM-CONNECT-4",
  },
  {
    choice: "message connection ids",
    strict: "1 and 4",
    qemu: "1",
    openvmm: "1 and 4 (VTL0 server without redirection; SINT/VTL read only on 4)",
    linux: "4 from 5.0, 1 below",
    rules: "HOST-HC-3, HOST-OPENVMM-HC-2, HOST-OPENVMM-CONNECT-1",
  },
  {
    choice: "HvPostMessage checks",
    strict: "QEMU's: message type 1, 8 ≤ payload_size ≤ 240, low 24 bits of the connection id",
    qemu: "the same, plus VMBus types 0 and ≥ 18 refused",
    openvmm: "payload_size ≤ 240 (INVALID_PARAMETER) and a port on the whole 32-bit id only",
    linux: "posts type 1 with the exact message size",
    rules: "HOST-HC-1, HOST-HC-5, HOST-OPENVMM-HC-1",
  },
  {
    choice: "second REQUESTOFFERS",
    strict: "ALLOFFERS_DELIVERED only",
    qemu: "ALLOFFERS_DELIVERED only",
    openvmm: "dropped (OffersAlreadySent)",
    linux: "sends it once per connection",
    rules: "HOST-OFFER-5, HOST-OPENVMM-OFFER-3",
  },
  {
    choice: "channel ids",
    strict: "first free at device realize, device order; kept across bus resets",
    qemu: "the same",
    openvmm: "first free at REQUESTOFFERS after sorting by (interface, order, instance); freed on disconnect",
    linux: "takes whatever the offer says",
    rules: "HOST-OFFER-2, HOST-OPENVMM-OFFER-1",
  },
  {
    choice: "offer size",
    strict: "196 bytes (190 at 0.13)",
    qemu: "200 bytes (unpacked struct), payload_size rounded to 8",
    openvmm: "196 bytes always",
    linux: "reads the 196-byte structure",
    rules: "HOST-OFFER-3, HOST-OFFER-4, HOST-OPENVMM-OFFER-2",
  },
  {
    choice: "GPADL ids",
    strict: "unique host-wide",
    qemu: "unique host-wide",
    openvmm: "keyed by (gpadl id, channel); unique only among incomplete ones",
    linux: "allocates them from one global counter",
    rules: "HOST-GPADL-2, HOST-OPENVMM-GPADL-1",
  },
  {
    choice: "invalid GPADL range data",
    strict: "GPADL_CREATED 0x8000FFFF; range_buflen must be a multiple of 8 covering every range",
    qemu: "single page-aligned ranges only; anything else dropped (no reply)",
    openvmm: "GPADL_CREATED 0x8000FFFF; range_buflen floored, trailing values and rangecount 0 allowed",
    linux: "always sends exact range data",
    rules: "HOST-GPADL-1, HOST-GPADL-9, HOST-OPENVMM-GPADL-2",
  },
  {
    choice: "teardown of an incomplete GPADL",
    strict: "allowed",
    qemu: "allowed",
    openvmm: "dropped (InvalidGpadlState)",
    linux: "never does it",
    rules: "HOST-GPADL-8, HOST-OPENVMM-GPADL-5",
  },
  {
    choice: "minimum ring pages",
    strict: "2 per ring",
    qemu: "2 per ring",
    openvmm: "1 per ring",
    linux: "uses at least 2",
    rules: "HOST-OPEN-3",
  },
  {
    choice: "RELID_RELEASED",
    strict: "only for a rescinded channel",
    qemu: "not handled (dropped as unknown)",
    openvmm: "accepted in Closed, Closing, Revoked, Reoffered",
    linux: "sends it after a rescind",
    rules: "HOST-RESCIND-2, HOST-OPENVMM-RELID-1",
  },
  {
    choice: "MODIFYCHANNEL failures",
    strict: "answered 0x8000FFFF from 5.3 (not open, VP 0xFFFFFFFF or missing)",
    qemu: "type 22 refused at the hypercall",
    openvmm: "InvalidTargetVp, InvalidChannelState, InterruptsDisabled answered 0x8000FFFF from 5.3; the VP is checked by the device",
    linux: "waits for the response from 5.3",
    rules: "HOST-MODIFY-2, HOST-OPENVMM-MODIFY-1",
  },
  {
    choice: "PAUSE",
    strict: "answered; replies held until RESUME; every message still processed",
    qemu: "type 27 refused at the hypercall",
    openvmm: "answered; every message but RESUME, UNLOAD, INITIATE_CONTACT dropped until then",
    linux: "does not send it",
    rules: "HOST-PAUSE-1, HOST-OPENVMM-PAUSE-1",
  },
  {
    choice: "reserved channels",
    strict: "none: OPEN_RESERVED_CHANNEL dropped",
    qemu: "type 18 refused at the hypercall",
    openvmm: "any offered closed channel can be opened as reserved; survives reconnects",
    linux: "does not use them",
    rules: "HOST-RESERVED-1, HOST-OPENVMM-RESERVED-1",
  },
  {
    choice: "host-to-guest types sent by the guest",
    strict: "dropped",
    qemu: "dropped (or refused at the hypercall from 18)",
    openvmm: "panics once they parse (HOST-OPENVMM-DEFECT-1)",
    linux: "never sends them",
    rules: "HOST-MSG-3, HOST-OPENVMM-DEFECT-1",
  },
];
