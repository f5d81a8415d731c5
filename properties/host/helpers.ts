/** Test helpers for the host reducer: message builders, a driver that runs to quiescence. */
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { checkHostInvariants, hostRunnable, hostStep, initialHostState, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import { formatQemuTrace } from "../../spec/host/trace.js";

export const config = (profile: HostConfig["profile"], extra: Partial<HostConfig> = {}): HostConfig => ({ profile, devices: DEFAULT_DEVICES, vcpuCount: 2, ...extra });

export const post = (m: Message, connectionId = 1, payloadSize?: number): HostInput => {
  const bytes = encodeMessage(m);
  return { kind: "postMessage", connectionId, messageType: 1, payloadSize: payloadSize ?? bytes.length, payload: bytesToHex(bytes) };
};
export const rawPost = (hex: string, payloadSize: number, connectionId = 1): HostInput => ({ kind: "postMessage", connectionId, messageType: 1, payloadSize, payload: hex });

export const initiate = (version: number, targetVcpu = 0): Message =>
  version >= 0x50000
    ? { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "4096", monitorPage2: "8192" }
    : { type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: version, targetVcpu, interruptPage: "12288", monitorPage1: "4096", monitorPage2: "8192" };

/** A host under test: applies inputs, records every output, checks invariants after each step. */
export class Harness {
  state: HostState;
  readonly log: HostOutput[] = [];
  constructor(readonly cfg: HostConfig) {
    this.state = initialHostState(cfg);
  }
  step(input: HostInput): readonly HostOutput[] {
    const r = hostStep(this.cfg, this.state, input);
    this.state = r.state;
    this.log.push(...r.outputs);
    const bad = checkHostInvariants(this.cfg, this.state);
    if (bad.length) throw new Error(`invariant broken after ${JSON.stringify(input).slice(0, 200)}: ${JSON.stringify(bad)}`);
    return r.outputs;
  }
  /** Post a guest message; returns the hypercall status. */
  send(m: Message, connectionId = 1): number {
    const out = this.step(post(m, connectionId));
    const st = out.find((o) => o.kind === "hypercallStatus");
    return st && st.kind === "hypercallStatus" ? st.status : -1;
  }
  /** Run and deliver until nothing is runnable; returns the messages posted. */
  settle(max = 200): Message[] {
    const posted: Message[] = [];
    for (let i = 0; i < max && (hostRunnable(this.cfg, this.state) || this.state.inFlight); i++) {
      if (this.state.inFlight) {
        this.step({ kind: "deliveryResult", result: "delivered" });
        continue;
      }
      for (const o of this.step({ kind: "run" })) if (o.kind === "postMessage") posted.push(o.message);
    }
    return posted;
  }
  traces(): string[] {
    return this.log.map((o) => formatQemuTrace(o)).filter((x): x is string => x !== undefined);
  }
  rejections(): string[] {
    return this.log.flatMap((o) => (o.kind === "rejected" ? [o.rule] : []));
  }
  defects(): string[] {
    return this.log.flatMap((o) => (o.kind === "defect" ? [o.rule] : []));
  }
}

import { splitGpadl } from "../../spec/wire/gpadl.js";

/** GPADL_HEADER (+ bodies) for one page-aligned range of `pages` pages (Linux style). */
export const gpadlMessages = (relid: number, id: number, pages: number): Message[] => {
  const pfns = Array.from({ length: pages }, (_, i) => String(0x1000 + i));
  const r = splitGpadl(relid, id, [{ byteCount: pages * 4096, byteOffset: 0, pfns }]);
  if (!r.ok) throw new Error(r.error.message);
  return [r.value.header, ...r.value.bodies];
};

export const openMsg = (relid: number, gpadl: number, offset: number, targetVp = 0, openId = relid): Message => ({
  type: "OpenChannel", form: "v1", childRelid: relid, openId, ringBufferGpadlHandle: gpadl, targetVp, downstreamRingBufferPageOffset: offset, userData: "00".repeat(120),
});

/** Connect at `version` and take the offers; returns the harness. */
export const connected = (profile: HostConfig["profile"], version = 0x40000, extra: Partial<HostConfig> = {}): Harness => {
  const h = new Harness(config(profile, extra));
  h.send(initiate(version), version >= 0x50000 ? 4 : 1);
  h.settle();
  h.send({ type: "RequestOffers" });
  h.settle();
  return h;
};

/** Create GPADL `id` on `relid` and settle; returns the messages posted. */
export const createGpadl = (h: Harness, relid: number, id: number, pages: number): Message[] => {
  for (const m of gpadlMessages(relid, id, pages)) h.send(m);
  return h.settle();
};

/** Open channels with a fresh 4-page ring GPADL each ([relid, gpadl id] pairs; send offset 2) and settle. */
export const openWithRings = (h: Harness, channels: readonly (readonly [number, number])[]): void => {
  for (const [relid, id] of channels) createGpadl(h, relid, id, 4);
  for (const [relid, id] of channels) h.send(openMsg(relid, id, 2));
  h.settle();
};

/** What one guest message made the host post (after settling) and reject. */
export const answer = (h: Harness, m: Message): { posted: Message[]; rejected: string[] } => {
  const before = h.rejections().length;
  h.send(m);
  return { posted: h.settle(), rejected: h.rejections().slice(before) };
};

/** A strict host at 5.3 with relid 1 open and a MODIFYCHANNEL to VP 1 processed: its response queued, the modify pending. */
export const modifyProcessed = (): Harness => {
  const h = connected("strict", 0x50003);
  createGpadl(h, 1, 7, 4);
  h.send(openMsg(1, 7, 2));
  h.settle();
  h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 1 });
  h.step({ kind: "run" });
  return h;
};
