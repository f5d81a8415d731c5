/**
 * A small, test-only host (not the spec's host): accepts versions 2.4..5.3 exactly, listens on
 * connection ids 1 and 4, queues 16 messages, replies one message at a time. It exists so the
 * system model and the checker can be tested independently of spec/host, and so tests can plant
 * bugs in a host (`bug` option).
 */
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import type { HostModel, HostView } from "../../spec/system/host-model.js";
import { decodeMessage, encodeMessage } from "../../spec/wire/codec.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { bytesToHex, hexToBytes } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";

export interface StubConfig {
  readonly channels: number;
  /** Planted bugs: "forgetOpen" answers OPENCHANNEL with success but never opens;
   *  "dropTeardown" never answers GPADL_TEARDOWN. */
  readonly bug?: "forgetOpen" | "dropTeardown";
}

interface StubState {
  readonly version: number;
  readonly queue: readonly { readonly connectionId: number; readonly payloadSize: number; readonly payload: string }[];
  readonly replies: readonly Message[];
  readonly inFlight: boolean;
  readonly channels: readonly { readonly relid: number; readonly open: boolean; readonly gpadl: number; readonly rescinded: boolean }[];
  readonly gpadls: readonly { readonly id: number; readonly relid: number; readonly expected: number; readonly got: number }[];
}

const SUPPORTED: readonly number[] = [Version.WIN8, Version.WIN8_1, Version.WIN10, Version.WIN10_V4_1, Version.WIN10_V5, Version.WIN10_V5_1, Version.WIN10_V5_2, Version.WIN10_V5_3];
const GUID = (n: number): string => `00000000-0000-0000-0000-${n.toString(16).padStart(12, "0")}`;

const offer = (relid: number): Message => ({
  type: "OfferChannel",
  form: "win7",
  interfaceType: GUID(1),
  interfaceInstance: GUID(100 + relid),
  reserved1: "0",
  reserved2: "0",
  channelFlags: 0,
  mmioMegabytes: 0,
  userDefined: "00".repeat(120),
  subChannelIndex: 0,
  mmioMegabytesOptional: 0,
  childRelid: relid,
  monitorId: 0xff,
  monitorFlags: 0,
  interruptFlags: 1,
  connectionId: 0x2000 | relid,
});

const initial = (c: StubConfig): StubState => ({
  version: 0,
  queue: [],
  replies: [],
  inFlight: false,
  channels: Array.from({ length: c.channels }, (_, i) => ({ relid: i + 1, open: false, gpadl: 0, rescinded: false })),
  gpadls: [],
});

const reset = (s: StubState): StubState => ({
  ...s,
  version: 0,
  replies: [],
  channels: s.channels.map((c) => ({ ...c, open: false, gpadl: 0 })),
  gpadls: [],
});

const handle = (c: StubConfig, s: StubState, m: Message): StubState => {
  const reply = (s: StubState, ...r: Message[]): StubState => ({ ...s, replies: [...s.replies, ...r] });
  if (m.type === "InitiateContact") {
    const ok = SUPPORTED.includes(m.vmbusVersionRequested);
    const s1 = reset(s);
    return reply({ ...s1, version: ok ? m.vmbusVersionRequested : 0 }, { type: "VersionResponse", form: "v1", versionSupported: ok ? 1 : 0, connectionState: 0, msgConnId: ok ? 1 : 0 });
  }
  if (s.version === 0) return s;
  switch (m.type) {
    case "RequestOffers":
      return reply(s, ...s.channels.filter((x) => !x.rescinded).map((x) => offer(x.relid)), { type: "AllOffersDelivered" });
    case "GpadlHeader": {
      const expected = (m.rangeBufferLength - 8) / 8;
      const got = m.ranges[0]?.pfns.length ?? 0;
      const s1 = { ...s, gpadls: [...s.gpadls, { id: m.gpadl, relid: m.childRelid, expected, got }] };
      return got >= expected ? reply(s1, { type: "GpadlCreated", childRelid: m.childRelid, gpadl: m.gpadl, creationStatus: 0 }) : s1;
    }
    case "GpadlBody": {
      const g = s.gpadls.find((x) => x.id === m.gpadl);
      if (!g) return s;
      const got = g.got + m.pfns.length;
      const s1 = { ...s, gpadls: s.gpadls.map((x) => (x.id === g.id ? { ...x, got } : x)) };
      return got >= g.expected ? reply(s1, { type: "GpadlCreated", childRelid: g.relid, gpadl: g.id, creationStatus: 0 }) : s1;
    }
    case "OpenChannel": {
      const open = c.bug !== "forgetOpen";
      const s1 = { ...s, channels: s.channels.map((x) => (x.relid === m.childRelid ? { ...x, open, gpadl: m.ringBufferGpadlHandle } : x)) };
      return reply(s1, { type: "OpenChannelResult", childRelid: m.childRelid, openId: m.openId, status: 0 });
    }
    case "CloseChannel":
      return { ...s, channels: s.channels.map((x) => (x.relid === m.childRelid ? { ...x, open: false, gpadl: 0 } : x)) };
    case "GpadlTeardown":
      if (c.bug === "dropTeardown") return s;
      return reply({ ...s, gpadls: s.gpadls.filter((x) => x.id !== m.gpadl) }, { type: "GpadlTorndown", gpadl: m.gpadl });
    case "RelIdReleased":
      return s;
    case "ModifyChannel":
      return s.version >= Version.WIN10_V5_3 ? reply(s, { type: "ModifyChannelResponse", childRelid: m.childRelid, status: 0 }) : s;
    case "Unload":
      return reply(reset(s), { type: "UnloadResponse" });
    default:
      return s;
  }
};

const step = (c: StubConfig, s: StubState, i: HostInput): { state: StubState; outputs: readonly HostOutput[] } => {
  switch (i.kind) {
    case "postMessage": {
      const status =
        i.payloadSize > 240 ? HvStatus.INVALID_HYPERCALL_INPUT
        : i.connectionId !== 1 && i.connectionId !== 4 ? HvStatus.INVALID_CONNECTION_ID
        : s.queue.length >= 16 ? HvStatus.INSUFFICIENT_BUFFERS
        : HvStatus.SUCCESS;
      const state = status === 0 ? { ...s, queue: [...s.queue, { connectionId: i.connectionId, payloadSize: i.payloadSize, payload: i.payload }] } : s;
      return { state, outputs: [{ kind: "hypercallStatus", status }] };
    }
    case "run": {
      if (s.inFlight) return { state: s, outputs: [] };
      const r = s.replies[0];
      if (r) {
        const bytes = bytesToHex(encodeMessage(r));
        return { state: { ...s, inFlight: true }, outputs: [{ kind: "postMessage", message: r, bytes, payloadSize: bytes.length / 2, targetVp: 0, sint: 2 }] };
      }
      const q = s.queue[0];
      if (!q) return { state: s, outputs: [] };
      const s1 = { ...s, queue: s.queue.slice(1) };
      const b = hexToBytes(q.payload);
      const d = b.ok ? decodeMessage(b.value.subarray(0, q.payloadSize), { direction: "guest-to-host" }) : undefined;
      return { state: d && d.ok ? handle(c, s1, d.value.message) : s1, outputs: [] };
    }
    case "deliveryResult":
      if (i.result === "delivered") return { state: { ...s, inFlight: false, replies: s.replies.slice(1) }, outputs: [] };
      return { state: { ...s, inFlight: false }, outputs: [] };
    case "rescindChannel": {
      const s1 = { ...s, channels: s.channels.map((x) => (x.relid === i.relid ? { ...x, open: false, rescinded: true } : x)) };
      return { state: s.version ? { ...s1, replies: [...s1.replies, { type: "RescindChannelOffer", childRelid: i.relid }] } : s1, outputs: [] };
    }
    case "signalEvent": {
      const open = s.channels.some((c) => c.open && (0x2000 | c.relid) === i.connectionId);
      return { state: s, outputs: [{ kind: "hypercallStatus", status: open ? HvStatus.SUCCESS : HvStatus.INVALID_CONNECTION_ID }] };
    }
    default:
      return { state: s, outputs: [] };
  }
};

const view = (s: StubState): HostView => ({
  connected: s.version !== 0,
  version: s.version,
  offeredRelids: s.version ? s.channels.filter((c) => !c.rescinded).map((c) => c.relid) : [],
  openChannels: s.channels.filter((c) => c.open).map((c) => ({ relid: c.relid, gpadl: c.gpadl })),
  gpadls: s.gpadls.map((g) => ({ id: g.id, childRelid: g.relid, complete: g.got >= g.expected, state: "alive" })),
  messageInFlight: s.inFlight,
  queuedIncoming: s.queue.length,
});

export const stubHost: HostModel<StubConfig, StubState> = {
  name: "stub",
  initial,
  step,
  runnable: (_c, s) => !s.inFlight && (s.replies.length > 0 || s.queue.length > 0),
  view,
  invariants: (_c, s) => (s.queue.length > 16 ? [{ rule: "STUB-QUEUE", message: "queue over 16" }] : []),
};
