/**
 * Host conformance scenarios as DATA: inputs only, in the `vmbus-spec host` script form
 * (src/io/host-inputs.ts: `guest` messages as JSON, `settle` = run and deliver until quiet).
 * The expected outputs are computed by running the reducer (spec/host) in src/vectors/host.ts;
 * properties/vectors/host.test.ts pins key facts by hand so a reducer regression cannot
 * silently rewrite them.
 */
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { splitGpadl } from "../../spec/wire/gpadl.js";
import type { Message } from "../../spec/wire/messages.js";
import type { HostProfileName } from "../../spec/host/profiles.js";

/** One script step (decoded by src/io/host-inputs.ts `decodeScriptStep`). */
export type ScenarioStep = Readonly<Record<string, unknown>> & { readonly kind: string };

export interface HostScenario {
  readonly id: string;
  readonly title: string;
  /** Profiles the scenario is written for (default: all three). */
  readonly profiles?: readonly HostProfileName[];
  /** Devices: the built-in pair (netvsc relids 1, 2; storvsc relid 3) unless "none". */
  readonly devices?: "default" | "none";
  readonly vcpuCount?: number;
  readonly steps: readonly ScenarioStep[];
}

export const HOST_SCENARIO_PROFILES: readonly HostProfileName[] = ["qemu", "strict", "openvmm"];

// ---- step builders (plain data) ----------------------------------------------------------------

const guest = (message: Message, connectionId = 1, payloadSize?: number): ScenarioStep =>
  payloadSize === undefined ? { kind: "guest", message, connectionId } : { kind: "guest", message, connectionId, payloadSize };
const raw = (payload: string, payloadSize: number, connectionId = 1, messageType = 1): ScenarioStep => ({ kind: "postMessage", connectionId, messageType, payloadSize, payload });
/** A message that fails validateMessage, posted as its raw encoding. */
const rawMessage = (m: Message, connectionId = 1): ScenarioStep => {
  const bytes = encodeMessage(m);
  return raw(bytesToHex(bytes), bytes.length, connectionId);
};
const settle: ScenarioStep = { kind: "settle" };
const run: ScenarioStep = { kind: "run" };
const deliver = (result: "delivered" | "slotBusy" | "fatal"): ScenarioStep => ({ kind: "deliveryResult", result });

const initiate = (version: number, targetVcpu = 0): Message =>
  version >= 0x50000
    ? { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "4096", monitorPage2: "8192" }
    : { type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: version, targetVcpu, interruptPage: "12288", monitorPage1: "4096", monitorPage2: "8192" };
/** INITIATE_CONTACT on the connection id Linux uses for it (4 from 5.0 on). */
const contact = (version: number, targetVcpu = 0): ScenarioStep => guest(initiate(version, targetVcpu), version >= 0x50000 ? 4 : 1);

const REQUEST_OFFERS: Message = { type: "RequestOffers" };
/** Connect at `version`, take the offers. */
const connect = (version = 0x40000): ScenarioStep[] => [contact(version), settle, guest(REQUEST_OFFERS), settle];

/** GPADL_HEADER + GPADL_BODY messages for one page-aligned range (Linux style). */
const gpadl = (relid: number, id: number, pages: number): ScenarioStep[] => {
  const pfns = Array.from({ length: pages }, (_, i) => String(0x1000 + i));
  const r = splitGpadl(relid, id, [{ byteCount: pages * 4096, byteOffset: 0, pfns }]);
  if (!r.ok) throw new Error(`host scenarios: ${r.error.message}`);
  return [r.value.header, ...r.value.bodies].map((m) => guest(m));
};
const gpadlMessage = (relid: number, id: number, pages: number): Message => {
  const pfns = Array.from({ length: pages }, (_, i) => String(0x1000 + i));
  const r = splitGpadl(relid, id, [{ byteCount: pages * 4096, byteOffset: 0, pfns }]);
  if (!r.ok) throw new Error(`host scenarios: ${r.error.message}`);
  return r.value.header;
};

const open = (relid: number, gpadlId: number, offset: number, targetVp = 0, openId = relid): ScenarioStep =>
  guest({ type: "OpenChannel", form: "v1", childRelid: relid, openId, ringBufferGpadlHandle: gpadlId, targetVp, downstreamRingBufferPageOffset: offset, userData: "00".repeat(120) });
const close = (relid: number): ScenarioStep => guest({ type: "CloseChannel", childRelid: relid });
const teardown = (relid: number, id: number): ScenarioStep => guest({ type: "GpadlTeardown", childRelid: relid, gpadl: id });

/** GPADL_HEADER bytes with rangecount 1, the given range_buflen and byte_count, and no PFNs (28 bytes). */
const rawHeader = (relid: number, id: number, buflen: number, byteCount: number): string => {
  const le = (v: number, n: number): string => Array.from({ length: n }, (_, i) => ((Math.floor(v / 2 ** (8 * i)) & 0xff).toString(16).padStart(2, "0"))).join("");
  return le(8, 4) + le(0, 4) + le(relid, 4) + le(id, 4) + le(buflen, 2) + le(1, 2) + le(byteCount, 4) + le(0, 4);
};

const REQUEST_OFFERS_HEX = "0300000000000000";
const EXTRA_DEVICE = {
  name: "hvsock",
  interfaceType: "34d14be3-dee4-41c8-9ae7-6b174977c192",
  interfaceInstance: "5a0b7a8e-0000-4000-8000-000000000003",
  subChannels: 0,
  channelFlags: 0,
  mmioMegabytes: 0,
  openResult: "ok",
};

// ---- the scenarios ---------------------------------------------------------------------------

export const HOST_SCENARIOS: readonly HostScenario[] = [
  {
    id: "boot-linux",
    title: "Linux boot handshake: 6.0 and 5.x refused at the hypercall (connection id 4 unknown), 4.1 answered not-supported, 4.0 accepted; REQUESTOFFERS → offers → ALLOFFERS_DELIVERED",
    profiles: ["qemu"],
    steps: [contact(0x60000), contact(0x50003), contact(0x50002), contact(0x50001), contact(0x50000), contact(0x40001), settle, contact(0x40000), settle, guest(REQUEST_OFFERS), settle],
  },
  {
    id: "boot-linux",
    title: "Linux boot handshake: 6.0 accepted on connection id 4; REQUESTOFFERS → offers → ALLOFFERS_DELIVERED",
    profiles: ["strict", "openvmm"],
    steps: [contact(0x60000), settle, guest(REQUEST_OFFERS), settle],
  },
  {
    id: "boot-fallback",
    title: "version fallback as Linux walks its list: 5.3 then 5.0 then 4.1 then 4.0, each answered before the next",
    steps: [contact(0x50003), settle, contact(0x50000), settle, contact(0x40001), settle, contact(0x40000), settle, guest(REQUEST_OFFERS), settle],
  },
  {
    id: "features-6.0",
    title: "6.0 with feature flags 0x34 requested (CONFIDENTIAL_CHANNELS | MODIFY_CONNECTION | PAUSE_RESUME): the host answers supported ∧ requested",
    steps: [
      guest({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x60000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x34, monitorPage1: "0", monitorPage2: "0" }, 4),
      settle,
      guest(REQUEST_OFFERS),
      settle,
    ],
  },
  {
    id: "version-failures",
    title: "versions that are not real (0x00010005, QEMU quirk Q16), above every maximum (7.0), 4.1 (above QEMU's 4.0); then 4.0",
    steps: [contact(0x00010005), settle, contact(0x00070000), settle, contact(0x40001), settle, contact(0x40000), settle],
  },
  {
    id: "version-bad-target-vp",
    title: "INITIATE_CONTACT naming a VP that does not exist (QEMU quirk Q7) and target_vcpu 0xFFFFFFFF (QEMU quirk Q2)",
    steps: [contact(0x40000, 5), settle, contact(0x40000, 0xffffffff), settle, contact(0x40000, 1), settle],
  },
  {
    id: "hypercall-checks",
    title: "HvPostMessage checks: non-VMBus SynIC type, payload_size below the header, above 240, unknown connection id, connection id masked to 24 bits, unknown message types",
    steps: [
      raw(REQUEST_OFFERS_HEX, 8, 1, 2),
      raw(REQUEST_OFFERS_HEX, 4),
      raw(REQUEST_OFFERS_HEX, 241),
      raw(REQUEST_OFFERS_HEX, 8, 4),
      raw(REQUEST_OFFERS_HEX, 8, 0x01000001),
      raw("00000000000000000000000000000000", 16),
      raw("1e00000000000000", 8),
      settle,
    ],
  },
  {
    id: "gpadl-create",
    title: "GPADL_HEADER + 2 GPADL_BODY messages (40 pages) → one GPADL_CREATED after the last body; a second 1-page GPADL on relid 3",
    steps: [...connect(), ...gpadl(1, 7, 40), settle, ...gpadl(3, 8, 1), settle],
  },
  {
    id: "open-close-reopen",
    title: "OPENCHANNEL → OPENCHANNEL_RESULT, device signal, CLOSECHANNEL (no reply), OPENCHANNEL again on the same GPADL",
    steps: [...connect(), ...gpadl(1, 7, 8), settle, open(1, 7, 4), settle, { kind: "deviceSignal", relid: 1 }, close(1), settle, open(1, 7, 4, 0, 2), settle, { kind: "deviceSignal", relid: 1 }],
  },
  {
    id: "open-failure",
    title: "OPENCHANNEL failures: the device refuses (openResult fail), ring offset 0, unknown relid, already open",
    steps: [
      ...connect(),
      ...gpadl(3, 9, 8),
      settle,
      open(3, 9, 0),
      settle,
      open(3, 9, 4),
      settle,
      open(3, 9, 4, 0, 77),
      settle,
      open(99, 9, 4),
      settle,
    ],
  },
  {
    id: "gpadl-teardown",
    title: "GPADL_TEARDOWN of a created GPADL → GPADL_TORNDOWN; of an unknown id; of a GPADL still used by an open channel (held until close)",
    steps: [...connect(), ...gpadl(1, 7, 4), settle, teardown(1, 7), settle, teardown(1, 99), settle, ...gpadl(1, 8, 8), settle, open(1, 8, 4), settle, teardown(1, 8), settle, close(1), settle],
  },
  {
    id: "unload",
    title: "UNLOAD → UNLOAD_RESPONSE and disconnect; UNLOAD again while disconnected; reconnect offers from scratch",
    steps: [...connect(), ...gpadl(1, 7, 8), settle, open(1, 7, 4), settle, guest({ type: "Unload" }), settle, guest({ type: "Unload" }), settle, ...connect()],
  },
  {
    id: "slot-busy",
    title: "the guest's message slot is busy: the reply is re-posted on the next run; nothing is processed meanwhile; a fatal delivery resets the bus",
    steps: [contact(0x40000), run, run, guest(REQUEST_OFFERS), run, deliver("slotBusy"), run, deliver("slotBusy"), run, deliver("delivered"), settle, contact(0x40000), run, run, deliver("fatal"), deliver("delivered"), settle],
  },
  {
    id: "queue-full",
    title: "17 messages posted without the host running: the 17th gets HV_STATUS_INSUFFICIENT_BUFFERS (16-entry queue)",
    profiles: ["qemu", "strict"],
    steps: [...connect(), ...Array.from({ length: 17 }, () => guest(REQUEST_OFFERS)), settle],
  },
  {
    id: "queue-full",
    title: "65 messages posted without the host running: the 65th gets HV_STATUS_INSUFFICIENT_BUFFERS (OpenVMM's 64-entry queue)",
    profiles: ["openvmm"],
    steps: [...connect(), ...Array.from({ length: 65 }, () => guest(REQUEST_OFFERS)), settle],
  },
  {
    id: "reset",
    title: "machine reset with an open channel and a GPADL: everything released; the guest connects again",
    steps: [...connect(), ...gpadl(1, 7, 8), settle, open(1, 7, 4), settle, { kind: "reset" }, settle, ...connect()],
  },
  {
    id: "rescind",
    title: "rescind of an open channel → RESCIND_CHANNELOFFER; OPEN refused; GPADL_TEARDOWN + RELID_RELEASED free the relid; a re-added device is offered again",
    steps: [
      ...connect(),
      ...gpadl(3, 7, 8),
      settle,
      open(3, 7, 4),
      settle,
      { kind: "rescindChannel", relid: 3 },
      settle,
      open(3, 7, 4),
      settle,
      teardown(3, 7),
      guest({ type: "RelIdReleased", childRelid: 3 }),
      settle,
      { kind: "deviceAdded", device: EXTRA_DEVICE },
      settle,
    ],
  },
  {
    id: "modifychannel",
    title: "MODIFYCHANNEL: no response at 5.2 (the target VP changes), MODIFYCHANNEL_RESPONSE at 5.3 (failure for a closed channel)",
    steps: [...connect(0x50002), ...gpadl(1, 7, 8), settle, open(1, 7, 4), settle, guest({ type: "ModifyChannel", childRelid: 1, targetVp: 1 }), settle, ...connect(0x50003), guest({ type: "ModifyChannel", childRelid: 1, targetVp: 1 }), settle],
  },
  {
    id: "legacy-interrupt-page",
    title: "version 1.1 (< 2.4): HvSignalEvent on connection 2 with interrupt-page bits set for relids 1 and 3",
    steps: [...connect(0x10001), ...gpadl(1, 7, 8), settle, open(1, 7, 4), settle, { kind: "signalEvent", connectionId: 2, flagNumber: 0, interruptPageBits: [1, 3] }],
  },
  {
    id: "channel-signals",
    title: "HvSignalEvent on a closed and then an open channel's connection id (QEMU 16 + relid, OpenVMM 0x2000 | relid)",
    steps: [
      ...connect(),
      { kind: "signalEvent", connectionId: 17, flagNumber: 0 },
      { kind: "signalEvent", connectionId: 0x2001, flagNumber: 0 },
      ...gpadl(1, 7, 8),
      settle,
      open(1, 7, 4, 1),
      settle,
      { kind: "signalEvent", connectionId: 17, flagNumber: 0 },
      { kind: "signalEvent", connectionId: 0x2001, flagNumber: 0 },
      { kind: "deviceSignal", relid: 1 },
    ],
  },
  // ---- QEMU quirks (docs/sources.md) rows (qemu: the quirk or recorded defect; strict/openvmm: the protocol's answer)
  {
    id: "known-01-body-for-complete-gpadl",
    title: "QEMU quirk Q1 GPADL_BODY for a complete GPADL",
    steps: [...connect(), ...gpadl(1, 7, 4), settle, guest({ type: "GpadlBody", msgNumber: 0, gpadl: 7, pfns: ["1"] }), settle],
  },
  {
    id: "known-02-unload-before-contact",
    title: "QEMU quirk Q2 UNLOAD before INITIATE_CONTACT",
    steps: [guest({ type: "Unload" }), settle],
  },
  {
    id: "known-03-header-buflen-below-8",
    title: "QEMU quirk Q3 GPADL_HEADER with range_buflen 4 (< 8): byte_count 0xFFFFF000, then 4096",
    steps: [...connect(), raw(rawHeader(1, 9, 4, 0xfffff000), 28), settle, raw(rawHeader(1, 10, 4, 4096), 28), settle],
  },
  {
    id: "known-04-zero-page-gpadl",
    title: "QEMU quirk Q4 zero-page GPADL (range_buflen 8, byte_count 0), then an OPEN with it",
    steps: [...connect(), raw(rawHeader(1, 9, 8, 0), 28), settle, open(1, 9, 2), settle],
  },
  {
    id: "known-05-reused-gpadl-id",
    title: "QEMU quirk Q5 GPADL_HEADER reusing the id of a GPADL still held by an open channel",
    steps: [...connect(), ...gpadl(1, 7, 8), settle, open(1, 7, 4), teardown(1, 7), settle, ...gpadl(1, 7, 8), settle],
  },
  {
    id: "known-06-silent-drops",
    title: "QEMU quirk Q6 teardown of an unknown id, OPEN for an unknown relid, short CLOSECHANNEL and OPENCHANNEL, a malformed GPADL_HEADER",
    steps: [
      ...connect(),
      teardown(1, 1234),
      open(77, 1, 2),
      guest({ type: "CloseChannel", childRelid: 1 }, 1, 8),
      { ...open(1, 1, 2), payloadSize: 100 },
      settle,
      // PFNs do not fit range_buflen: not a valid message, so posted as raw bytes.
      rawMessage({ ...(gpadlMessage(1, 5, 4) as Extract<Message, { type: "GpadlHeader" }>), ranges: [{ byteCount: 8 * 4096, byteOffset: 0, pfns: ["4096", "4097", "4098", "4099"] }] }),
      settle,
    ],
  },
  {
    id: "known-07-target-vp",
    title: "QEMU quirk Q7 OPENCHANNEL naming a VP that does not exist",
    steps: [...connect(), ...gpadl(1, 7, 8), settle, open(1, 7, 4, 9), settle],
  },
  {
    id: "known-08-relid-released",
    title: "QEMU quirk Q8 RELID_RELEASED for a channel that was not rescinded",
    steps: [...connect(), guest({ type: "RelIdReleased", childRelid: 1 }), settle],
  },
  {
    id: "known-09-types-18-and-above",
    title: "QEMU quirk Q9 MODIFYCHANNEL and TL_CONNECT_REQUEST at 4.0",
    steps: [
      ...connect(),
      guest({ type: "ModifyChannel", childRelid: 1, targetVp: 0 }),
      guest({ type: "TlConnectRequest", form: "v1", guestEndpointId: "00000000-0000-0000-0000-000000000001", hostServiceId: "00000000-0000-0000-0000-000000000002" }),
      settle,
    ],
  },
  {
    id: "known-10-posted-during-unload",
    title: "QEMU quirk Q10 INITIATE_CONTACT posted while UNLOAD is being answered",
    steps: [...connect(), guest({ type: "Unload" }), run, contact(0x40000), settle],
  },
  {
    id: "known-11-close-not-open",
    title: "QEMU quirk Q11 CLOSECHANNEL for a channel that is not open",
    steps: [...connect(), close(3), settle],
  },
  {
    id: "known-12-open-torn-down-gpadl",
    title: "QEMU quirk Q12 OPENCHANNEL naming a torn-down GPADL still referenced by another channel; then the first channel closes",
    steps: [...connect(), ...gpadl(1, 7, 8), settle, open(1, 7, 4), teardown(1, 7), settle, open(2, 7, 4), settle, close(1), settle],
  },
];
