/** Test helpers: drive the guest reducer by hand (post results, host messages). */
import { DEFAULT_GUEST_CONFIG, type GuestConfig } from "../../spec/guest/config.js";
import { guestStep, initialGuestState } from "../../spec/guest/guest.js";
import type { DriverAction, GuestOutput } from "../../spec/guest/io.js";
import type { GuestState } from "../../spec/guest/state.js";
import { guestView } from "../../spec/guest/view.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";

export interface G {
  readonly config: GuestConfig;
  state: GuestState;
  outputs: GuestOutput[];
  /** Everything posted so far: [connectionId, message, status]. */
  posted: { connectionId: number; message: Message; status: number }[];
}

export const guest = (config: Partial<GuestConfig> = {}): G => {
  const c = { ...DEFAULT_GUEST_CONFIG, ...config };
  return { config: c, state: initialGuestState(c), outputs: [], posted: [] };
};

const apply = (g: G, r: { state: GuestState; outputs: readonly GuestOutput[] }): readonly GuestOutput[] => {
  g.state = r.state;
  g.outputs.push(...r.outputs);
  for (const o of r.outputs) if (o.kind === "posted") g.posted.push({ connectionId: o.connectionId, message: o.message, status: o.status });
  return r.outputs;
};

/** Post the head of the outbox with `status`. */
export const post1 = (g: G, status = 0): readonly GuestOutput[] =>
  apply(g, guestStep(g.config, g.state, { kind: "postResult", lane: g.state.outbox[0]?.lane ?? 0, status }));
/** Post everything queued (successfully unless a status function says otherwise). */
export const postAll = (g: G, status: (m: Message) => number = () => 0): void => {
  for (let i = 0; i < 200 && g.state.outbox.length > 0; i++) post1(g, status(g.state.outbox[0]!.message));
};
export const host = (g: G, m: Message, payloadSize?: number): readonly GuestOutput[] => {
  const bytes = encodeMessage(m);
  return apply(g, guestStep(g.config, g.state, { kind: "hostMessage", payloadSize: payloadSize ?? bytes.length, payload: bytesToHex(bytes) }));
};
export const hostRaw = (g: G, payloadSize: number, payload: string): readonly GuestOutput[] =>
  apply(g, guestStep(g.config, g.state, { kind: "hostMessage", payloadSize, payload }));
export const driver = (g: G, action: DriverAction): readonly GuestOutput[] => apply(g, guestStep(g.config, g.state, { kind: "driver", action }));

export const versionResponse = (supported: boolean, msgConnId = 1): Message => ({
  type: "VersionResponse",
  form: "v1",
  versionSupported: supported ? 1 : 0,
  connectionState: 0,
  msgConnId,
});

export const GUID_TYPE = "ba6163d9-04a1-4d29-b605-72e2ffb1dc7f";
export const offer = (relid: number, instance = relid, subChannelIndex = 0): Message => ({
  type: "OfferChannel",
  form: "win7",
  interfaceType: GUID_TYPE,
  interfaceInstance: `00000000-0000-0000-0000-${instance.toString(16).padStart(12, "0")}`,
  reserved1: "0",
  reserved2: "0",
  channelFlags: 0,
  mmioMegabytes: 0,
  userDefined: "00".repeat(120),
  subChannelIndex,
  mmioMegabytesOptional: 0,
  childRelid: relid,
  monitorId: 0,
  monitorFlags: 0,
  interruptFlags: 1,
  connectionId: 16 + relid,
});

/** A guest connected at `version` (≤ 5.3 so the v1 VERSION_RESPONSE form applies) with the given offers delivered. */
export const connected = (version: number, relids: readonly number[] = [1], config: Partial<GuestConfig> = {}): G => {
  const g = guest({ ...config, versions: [version] });
  postAll(g);
  host(g, versionResponse(true, 1));
  postAll(g);
  for (const r of relids) host(g, offer(r));
  host(g, { type: "AllOffersDelivered" });
  return g;
};

export const types = (g: G): string[] => g.posted.map((p) => p.message.type);
export const rules = (outs: readonly GuestOutput[]): string[] => outs.flatMap((o) => ("rule" in o ? [o.rule] : []));

/** The ring GPADL handle of the first channel openedFamily opens (then +1, +2). */
export const FAMILY_RING = 0xe1e10;
/** Connected at `version` (4.0 unless given) with primary 1 and its sub-channels 2 and 3, all opened (rings FAMILY_RING, +1, +2); nothing posted yet recorded. */
export const openedFamily = (version = 0x40000): G => {
  const g = guest({ versions: [version] });
  postAll(g);
  host(g, versionResponse(true, 1));
  postAll(g);
  host(g, offer(1, 1, 0));
  host(g, offer(2, 1, 1));
  host(g, offer(3, 1, 2));
  host(g, { type: "AllOffersDelivered" });
  [1, 2, 3].forEach((r, i) => {
    driver(g, { kind: "openChannel", relid: r, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: r, gpadl: FAMILY_RING + i, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
  });
  const open = guestView(g.state).channelsOpen.map((c) => c.relid).join(",");
  if (open !== "1,2,3") throw new Error(`openedFamily: channels ${open} open, not 1,2,3`);
  g.posted.length = 0;
  return g;
};

/** Open each channel in turn (`pages` send + `pages` receive), every post and reply succeeding. */
export const openChannels = (g: G, relids: readonly number[], pages = 1): void => {
  for (const r of relids) {
    driver(g, { kind: "openChannel", relid: r, sendPages: pages, recvPages: pages });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: r, gpadl: g.state.nextGpadl - 1, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
  }
};

/** Each output's kind, with its rule where it has one (waits and posts left out). */
export const outcome = (outs: readonly GuestOutput[]): string[] =>
  outs.flatMap((o) => (o.kind === "wait" || o.kind === "posted" ? [] : ["rule" in o ? `${o.kind} ${o.rule}` : o.kind]));

/** What the guest posted, with the relid or GPADL each names (closing a family). */
export const familyPosts = (g: G): string[] =>
  g.posted.map((p) => {
    const m: Message = p.message;
    return m.type === "CloseChannel" || m.type === "RelIdReleased" ? `${m.type} ${m.childRelid}` : m.type === "GpadlTeardown" ? `GpadlTeardown 0x${m.gpadl.toString(16)}` : m.type;
  });

/**
 * Channel 1 open at protocol 4.0 (Windows 10) with a created buffer GPADL (the second handle)
 * whose GPADL_TEARDOWN the driver has asked for (queued, not yet posted).
 */
export const bufferTeardownQueued = (): G => {
  const g = connected(0x00040000, [1]);
  openChannels(g, [1]);
  driver(g, { kind: "createGpadl", relid: 1, pages: 1 });
  postAll(g);
  host(g, { type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e11, creationStatus: 0 });
  driver(g, { kind: "teardownGpadl", gpadl: 0xe1e11 });
  return g;
};
