/**
 * Shared machinery of the host reducer: a local accumulator (the state so far and the outputs
 * emitted), and the state operations every profile uses (GPADL references, channel close, bus
 * reset). The accumulator is created per step and never escapes: inputs are never mutated.
 */
import type { HostConfig } from "./config.js";
import type { HostOutput } from "./interface.js";
import type { HostProfileParameters } from "./profiles.js";
import type { HostRuleId } from "./rules.js";
import type { ChannelState, GpadlState, HostState } from "./state.js";
import { trace } from "./trace.js";

export interface Ctx {
  readonly config: HostConfig;
  readonly p: HostProfileParameters;
  s: HostState;
  readonly out: HostOutput[];
}

export const NO_VP = 0xffffffff;

export const emit = (c: Ctx, o: HostOutput): void => {
  c.out.push(o);
};
export const qtrace = (c: Ctx, event: string, ...args: (number | string)[]): void => {
  if (c.p.qemuTrace) c.out.push(trace(event, ...args));
};
export const reject = (c: Ctx, rule: HostRuleId, reason: string): void => {
  c.out.push({ kind: "rejected", rule, reason });
};
export const defect = (c: Ctx, rule: HostRuleId, description: string): void => {
  c.out.push({ kind: "defect", rule, description });
};

/** Every VP the host checks comes from a decoded u32 field (a whole number ≥ 0): only the upper bound can fail. */
export const vpExists = (c: Ctx, vp: number): boolean => vp < c.config.vcpuCount;

// ---- channels ----
export const findChannel = (s: HostState, relid: number): ChannelState | undefined => s.channels.find((ch) => ch.relid === relid);
export const setChannel = (c: Ctx, relid: number, patch: Partial<ChannelState>): void => {
  c.s = { ...c.s, channels: c.s.channels.map((ch) => (ch.relid === relid ? { ...ch, ...patch } : ch)) };
};
export const deviceName = (s: HostState, ch: ChannelState): string => s.devices[ch.device]?.name ?? `device${ch.device}`;

// ---- GPADLs ----
export const findGpadl = (s: HostState, id: number): GpadlState | undefined => s.gpadls.find((g) => g.id === id);
export const gpadlComplete = (g: GpadlState): boolean => g.data.length >= g.expected;
export const setGpadl = (c: Ctx, id: number, patch: Partial<GpadlState>): void => {
  c.s = { ...c.s, gpadls: c.s.gpadls.map((g) => (g.id === id ? { ...g, ...patch } : g)) };
};
/** vmbus_put_gpadl: drop one reference; freed (removed from the list) at zero. */
export const putGpadl = (c: Ctx, id: number): void => {
  const g = findGpadl(c.s, id);
  if (!g) return;
  if (g.refcount <= 1) c.s = { ...c.s, gpadls: c.s.gpadls.filter((x) => x.id !== id) };
  else setGpadl(c, id, { refcount: g.refcount - 1 });
};
export const getGpadl = (c: Ctx, id: number): void => {
  const g = findGpadl(c.s, id);
  if (g) setGpadl(c, id, { refcount: g.refcount + 1 });
};

/** close_channel: release an open channel's resources (device callback, ring GPADL reference). */
export const closeChannelResources = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || !ch.isOpen) return;
  emit(c, { kind: "deviceNotify", relid, reason: "closed" });
  setChannel(c, relid, { isOpen: false });
  putGpadl(c, ch.ringGpadl);
};

/** A device reset (vmbus_dev_reset): every channel of the device closed and INIT. */
export const resetDevice = (c: Ctx, device: number): void => {
  for (const ch of c.s.channels.filter((x) => x.device === device)) {
    closeChannelResources(c, ch.relid);
    setChannel(c, ch.relid, { state: "init", modifyPending: false });
  }
  const primary = c.s.channels.find((x) => x.device === device);
  if (primary) emit(c, { kind: "deviceNotify", relid: primary.relid, reason: "reset" });
};

/**
 * vmbus_reset_all (HOST-RESET-1): device resets, then vmbus_deinit. Relids survive; QEMU keeps
 * its incoming queue; the queue model drops rescinded channels (the guest forgets them too).
 */
export const busReset = (c: Ctx): void => {
  const devices = [...new Set(c.s.channels.map((ch) => ch.device))];
  for (const d of devices) resetDevice(c, d);
  deinit(c);
};

/** vmbus_deinit alone (also used after a failed SINT route). */
export const deinit = (c: Ctx): void => {
  for (const g of c.s.gpadls.filter((x) => x.state !== "torndown")) putGpadl(c, g.id);
  c.s = {
    ...c.s,
    channels: c.s.channels.filter((ch) => !ch.rescinded).map((ch) => ({ ...ch, offerState: "init" as const })),
    bus: "listen",
    version: 0,
    connected: false,
    targetVp: NO_VP,
    sintRoute: false,
    interruptPage: "0",
    features: 0,
    msgConnId: 0,
    inFlight: null,
    outQueue: [],
    offersRequested: false,
    allOffersSent: false,
    paused: false,
  };
};

/** First free relid in 1..2047 (HOST-OFFER-2). */
export const freeRelids = (s: HostState, n: number): number[] | undefined => {
  const used = new Set(s.channels.map((ch) => ch.relid));
  const out: number[] = [];
  for (let id = 1; id <= 2047 && out.length < n; id++) if (!used.has(id)) out.push(id);
  return out.length === n ? out : undefined;
};
