/**
 * A Linux `hyperv` tracepoint log as an observation of the spec's Linux-like guest (spec/guest),
 * for the conformance engine. What the log fixes: every post the guest made (the send events,
 * with Linux's vmbus_post_msg return value) and every host message it received
 * (vmbus_on_msg_dpc) with the fields its handler traces (vmbus_onoffer, vmbus_onversion_response,
 * …). What it does not fix is explored: the driver actions behind the posts (open, close, buffer
 * GPADLs, MODIFYCHANNEL, unload), host-message bytes no event prints, and the UNLOAD post
 * (Linux traces none).
 *
 * A received message waits in `inbound` (Linux: the DPC queued it) until its handler's event
 * line gives its fields; messages whose handler traces nothing are handled silently.
 */
import { guestPostable, guestStep, initialGuestState, outgoingBytes } from "../../../spec/guest/guest.js";
import type { GuestConfig } from "../../../spec/guest/config.js";
import type { DriverAction, GuestOutput } from "../../../spec/guest/io.js";
import type { GuestState, Outgoing } from "../../../spec/guest/state.js";
import { encodeMessage } from "../../../spec/wire/codec.js";
import { HvStatus } from "../../../spec/wire/constants.js";
import { bytesToHex } from "../../../spec/wire/hex.js";
import { type Message, MessageType } from "../../../spec/wire/messages.js";
import type { Expectation, Move, ObservationModel } from "../../conformance/engine.js";
import type { LinuxEvent } from "./events.js";
import { expectedSendLine, sendMatches } from "./sends.js";

export interface LinuxObservation {
  readonly lineNo: number;
  readonly event: LinuxEvent;
  readonly ahead: readonly LinuxEvent[];
}

export interface LinuxTraceState {
  readonly guest: GuestState;
  /** Types of host messages received (vmbus_on_msg_dpc) and not handled yet, oldest first. */
  readonly inbound: readonly number[];
}

const MAX_INBOUND = 64;

const EINVAL = -22;
const EAGAIN = -11;
const ENOBUFS = -105;

/** The handler event that carries each host message's fields. */
const HANDLER_EVENT: Readonly<Record<string, number>> = {
  vmbus_onoffer: MessageType.OfferChannel,
  vmbus_onoffer_rescind: MessageType.RescindChannelOffer,
  vmbus_onopen_result: MessageType.OpenChannelResult,
  vmbus_ongpadl_created: MessageType.GpadlCreated,
  vmbus_ongpadl_torndown: MessageType.GpadlTorndown,
  vmbus_onversion_response: MessageType.VersionResponse,
};
const TRACED_TYPES = new Set(Object.values(HANDLER_EVENT));

const n = (e: LinuxEvent, i: number): number => Number(BigInt(e.args[i] ?? "0") & 0xffffffffn);

/** The message behind a handler event (fields the event does not print: Linux's defaults). */
const messageOf = (e: LinuxEvent): Message | undefined => {
  switch (e.name) {
    case "vmbus_onversion_response":
      // msg_conn_id is not traced: the ≥ 5.0 hosts answer with connection id 4 (VMBUS_MESSAGE_CONNECTION_ID_4).
      return { type: "VersionResponse", form: "v1", versionSupported: n(e, 0) & 0xff, connectionState: 0, msgConnId: 4 };
    case "vmbus_onoffer":
      return {
        type: "OfferChannel",
        form: "win7",
        interfaceType: e.args[4]!,
        interfaceInstance: e.args[5]!,
        reserved1: "0",
        reserved2: "0",
        channelFlags: n(e, 6) & 0xffff,
        mmioMegabytes: n(e, 7) & 0xffff,
        userDefined: "00".repeat(120),
        subChannelIndex: n(e, 8) & 0xffff,
        mmioMegabytesOptional: 0,
        childRelid: n(e, 0),
        monitorId: n(e, 1) & 0xff,
        monitorFlags: 0,
        interruptFlags: n(e, 2) & 0xffff,
        connectionId: n(e, 3),
      };
    case "vmbus_onoffer_rescind":
      return { type: "RescindChannelOffer", childRelid: n(e, 0) };
    case "vmbus_onopen_result":
      return { type: "OpenChannelResult", childRelid: n(e, 0), openId: n(e, 1), status: n(e, 2) };
    case "vmbus_ongpadl_created":
      return { type: "GpadlCreated", childRelid: n(e, 0), gpadl: n(e, 1), creationStatus: n(e, 2) };
    case "vmbus_ongpadl_torndown":
      return { type: "GpadlTorndown", gpadl: n(e, 0) };
    default:
      return undefined;
  }
};

/** The relid of the oldest MODIFYCHANNEL awaiting its response (the guest keeps one, or a list). */
const pendingModifyRelid = (g: GuestState): number => {
  const p = g.modifyPending as unknown;
  if (typeof p === "number") return p;
  if (Array.isArray(p)) return (p[0] as { relid?: number } | undefined)?.relid ?? 0;
  return 0;
};

/** A host message whose handler traces nothing: its bytes as the spec host would send them. */
const untracedMessage = (type: number, g: GuestState): { payloadSize: number; payload: string } => {
  if (type === MessageType.ModifyChannelResponse) {
    const b = encodeMessage({ type: "ModifyChannelResponse", childRelid: pendingModifyRelid(g), status: 0 });
    return { payloadSize: b.length, payload: bytesToHex(b) };
  }
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(0, type >>> 0, true);
  return { payloadSize: 8, payload: bytesToHex(b) };
};

/**
 * HvPostMessage statuses behind Linux vmbus_post_msg's return value (Linux drivers/hv/connection.c
 * vmbus_post_msg: INITIATE_CONTACT gives up at once, the others retry; format.ts linuxPostRet is
 * the other direction).
 */
const statusesFor = (ret: number, m: Message, retries: number): number[] | undefined => {
  const contact = m.type === "InitiateContact";
  const all = (st: number): number[] => (contact ? [st] : Array.from({ length: retries + 1 }, () => st));
  if (ret === 0) return [HvStatus.SUCCESS];
  if (ret === EINVAL) return [contact ? HvStatus.INVALID_CONNECTION_ID : HvStatus.INVALID_HYPERCALL_INPUT];
  if (ret === EAGAIN) return contact ? undefined : all(HvStatus.INVALID_CONNECTION_ID);
  if (ret === ENOBUFS) return all(HvStatus.INSUFFICIENT_BUFFERS);
  return undefined;
};

/** The driver actions that may have started a GPADL: a buffer (createGpadl) or a channel's ring (openChannel). */
const gpadlActions = (e: LinuxEvent, ahead: readonly LinuxEvent[], both: boolean): DriverAction[] => {
  const relid = n(e, 0);
  const handle = n(e, 1);
  const ranges = n(e, 3);
  const pages = Math.floor((n(e, 2) - 8 * ranges) / 8);
  if (pages < 1) return [];
  const open = ahead.find((x) => x.name === "vmbus_open" && n(x, 0) === relid && n(x, 2) === handle);
  const send = open ? n(open, 4) : Math.max(1, Math.floor(pages / 2));
  const asOpen: DriverAction[] = send >= 1 && pages - send >= 1 ? [{ kind: "openChannel", relid, sendPages: send, recvPages: pages - send }] : [];
  const asBuffer: DriverAction[] = [{ kind: "createGpadl", relid, pages }];
  if (both) return [...asBuffer, ...asOpen];
  return open && asOpen.length ? asOpen : asBuffer;
};

/**
 * Driver actions that may stand behind a send event (the guest's other posts follow from its
 * state). GPADL handles come from one counter (GUEST-GPADL-1): a header whose handle is ahead of
 * the counter means other drivers started GPADLs first, whose headers the window shows later.
 */
const actionsFor = (e: LinuxEvent, ahead: readonly LinuxEvent[], g: GuestState): DriverAction[][] => {
  switch (e.name) {
    case "vmbus_establish_gpadl_header": {
      const handle = n(e, 1);
      const prefix: DriverAction[] = [];
      for (let k = g.nextGpadl; k !== handle && prefix.length < 16; k = (k + 1) >>> 0) {
        const h = ahead.find((x) => x.name === "vmbus_establish_gpadl_header" && n(x, 1) === k);
        if (!h) return gpadlActions(e, ahead, true).map((a) => [a]);
        prefix.push(...gpadlActions(h, ahead, false));
      }
      return gpadlActions(e, ahead, true).map((a) => [...prefix, a]);
    }
    // Closing a primary channel closes its sub-channels first (Linux drivers/hv/channel.c
    // vmbus_close), so a CLOSECHANNEL may come from closing another channel of the device.
    case "vmbus_close_internal":
      return [n(e, 0), ...g.channels.map((c) => c.relid).filter((r) => r !== n(e, 0))].map((relid) => [{ kind: "closeChannel", relid }]);
    case "vmbus_teardown_gpadl":
      return [[{ kind: "teardownGpadl", gpadl: n(e, 1) }]];
    case "vmbus_send_modifychannel":
      return [[{ kind: "modifyChannel", relid: n(e, 0), targetVp: n(e, 1) }]];
    default:
      return [];
  }
};

const changed = (outputs: readonly GuestOutput[]): boolean => !outputs.some((o) => o.kind === "refused");

export const createLinuxModel = (config: GuestConfig): ObservationModel<LinuxTraceState, LinuxObservation> => {
  const keys = new WeakMap<LinuxTraceState, string>();
  const key = (s: LinuxTraceState): string => {
    let k = keys.get(s);
    if (k === undefined) keys.set(s, (k = JSON.stringify(s)));
    return k;
  };

  const deliver = (s: LinuxTraceState, at: number, payloadSize: number, payload: string): LinuxTraceState => ({
    guest: guestStep(config, s.guest, { kind: "hostMessage", payloadSize, payload }).state,
    inbound: s.inbound.filter((_, i) => i !== at),
  });

  /** Post `head` with the statuses behind `ret`. */
  const post = (g: GuestState, head: Outgoing, ret: number): GuestState | undefined => {
    const statuses = statusesFor(ret, head.message, config.postRetries);
    if (!statuses) return undefined;
    let x = g;
    for (const st of statuses) x = guestStep(config, x, { kind: "postResult", lane: head.lane, status: st }).state;
    return x;
  };

  const sends = (s: LinuxTraceState, e: LinuxEvent, ahead: readonly LinuxEvent[]): Move<LinuxTraceState>[] => {
    const ret = Number(e.args[e.args.length - 1] ?? "0");
    const starts: { label: string; g: GuestState }[] = [{ label: "", g: s.guest }];
    for (const actions of actionsFor(e, ahead, s.guest)) {
      let g: GuestState | undefined = s.guest;
      for (const a of actions) {
        const r = guestStep(config, g, { kind: "driver", action: a });
        if (!changed(r.outputs)) {
          g = undefined;
          break;
        }
        g = r.state;
      }
      if (g) starts.push({ label: `driver ${actions.map((a) => a.kind).join(", ")}; `, g });
    }
    const moves: Move<LinuxTraceState>[] = [];
    for (const { label, g } of starts)
      for (const head of guestPostable(config, g)) {
        if (!sendMatches(e, head.message, outgoingBytes(head))) continue;
        const next = post(g, head, ret);
        if (next) moves.push({ label: `${label}posts ${head.message.type} (ret ${ret})`, state: { guest: next, inbound: s.inbound } });
      }
    return moves;
  };

  const explainStep = (s: LinuxTraceState, obs: LinuxObservation): readonly Move<LinuxTraceState>[] => {
    const e = obs.event;
    switch (e.name) {
      case "vmbus_on_msg_dpc":
        return s.inbound.length < MAX_INBOUND ? [{ label: `receives type ${e.args[0]}`, state: { ...s, inbound: [...s.inbound, n(e, 0)] } }] : [];
      case "vmbus_on_message":
        return s.inbound.includes(n(e, 0)) ? [{ label: "handler work", state: s }] : [];
      case "vmbus_chan_sched":
      case "vmbus_setevent":
      case "vmbus_on_event":
        return s.guest.channels.some((c) => c.relid === n(e, 0)) ? [{ label: e.name, state: s }] : [];
      default:
        break;
    }
    const type = HANDLER_EVENT[e.name];
    if (type !== undefined) {
      const at = s.inbound.indexOf(type);
      const m = messageOf(e);
      if (at < 0 || !m) return [];
      const b = encodeMessage(m);
      return [{ label: `handles ${m.type}`, state: deliver(s, at, b.length, bytesToHex(b)) }];
    }
    return sends(s, e, obs.ahead);
  
  };

  const expected = (s: LinuxTraceState): Expectation[] => {
    const out: Expectation[] = [{ description: "vmbus_on_msg_dpc: msgtype=T (a host message)", rules: [] }];
    for (const head of guestPostable(config, s.guest)) {
      const line = expectedSendLine(head.message, outgoingBytes(head));
      if (line) out.push({ description: line, rules: rulesFor(head.message) });
    }
    for (const t of new Set(s.inbound)) {
      const ev = Object.entries(HANDLER_EVENT).find(([, ty]) => ty === t)?.[0];
      if (ev) out.push({ description: `${ev}: … (handling the received message type ${t})`, rules: ["GUEST-MATCH-1"] });
    }
    return out;
  
  };

  const closedEarly = (s: LinuxTraceState, obs: LinuxObservation): LinuxTraceState[] => {
    // Only lines that change the guest's state can tell an early close from a late one.
    if (obs.event.name === "vmbus_on_msg_dpc" || obs.event.name === "vmbus_on_message" || obs.event.name === "vmbus_setevent" || obs.event.name === "vmbus_chan_sched" || obs.event.name === "vmbus_on_event") return [];
    const relids = [...new Set(obs.ahead.filter((x) => x.name === "vmbus_close_internal").map((x) => n(x, 0)))].slice(0, 4);
    const out: LinuxTraceState[] = [];
    for (const relid of relids) {
      const c = s.guest.channels.find((x) => x.relid === relid);
      if (!c || c.phase.name !== "opened") continue;
      const r = guestStep(config, s.guest, { kind: "driver", action: { kind: "closeChannel", relid } });
      if (changed(r.outputs)) out.push({ ...s, guest: r.state });
    }
    return out;
  };

  /** vmbus_initiate_unload, then its UNLOAD post (both untraced). */
  const unloaded = (s: LinuxTraceState): LinuxTraceState | undefined => {
    const r = guestStep(config, s.guest, { kind: "driver", action: { kind: "unload" } });
    if (!changed(r.outputs)) return undefined;
    let g = r.state;
    for (const head of guestPostable(config, g)) if (head.message.type === "Unload") g = post(g, head, 0) ?? g;
    return { ...s, guest: g };
  };

  return {
    key,
    silent: (s) => {
      const out: Move<LinuxTraceState>[] = [];
      // A received message whose handler traces nothing is handled (first of its type).
      const seen = new Set<number>();
      s.inbound.forEach((t, i) => {
        if (TRACED_TYPES.has(t) || seen.has(t)) return;
        seen.add(t);
        const m = untracedMessage(t, s.guest);
        out.push({ label: `handles message type ${t}`, state: deliver(s, i, m.payloadSize, m.payload) });
      });
      return out;
    },
    explain: (s, obs) => {
      // vmbus_close acts on the channel state at the call (which sub-channels are open), and the
      // call may precede its CLOSECHANNEL by many lines: a close in the window may also have
      // been called just before this line.
      const moves = [...explainStep(s, obs), ...closedEarly(s, obs).flatMap((x) => explainStep(x, obs).map((m) => ({ label: `driver closeChannel (early); ${m.label}`, state: m.state })))];
      if (moves.length > 0 || s.guest.phase !== "connected") return moves;
      // vmbus_initiate_unload: Linux traces neither the decision nor the UNLOAD post, so an
      // unload is assumed only where nothing else explains the line.
      const u = unloaded(s);
      return u ? explainStep(u, obs).map((m) => ({ label: `driver unload, posts Unload (not traced); ${m.label}`, state: m.state })) : [];
    },
    expected: (s) => expected(s),
  };
};

const rulesFor = (m: Message): string[] => {
  switch (m.type) {
    case "InitiateContact":
      return ["GUEST-VERSION-1", "GUEST-VERSION-3"];
    case "RequestOffers":
      return ["GUEST-VERSION-4"];
    case "GpadlHeader":
    case "GpadlBody":
      return ["GUEST-GPADL-1", "GUEST-GPADL-2"];
    case "OpenChannel":
      return ["GUEST-OPEN-1"];
    case "CloseChannel":
    case "GpadlTeardown":
      return ["GUEST-CLOSE-1", "GUEST-GPADL-4"];
    case "ModifyChannel":
      return ["GUEST-MODIFY-1"];
    default:
      return [];
  }
};

export const initialLinuxTraceState = (config: GuestConfig): LinuxTraceState => ({ guest: initialGuestState(config), inbound: [] });
