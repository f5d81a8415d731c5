/**
 * The guest's drivers as a script (DriverScript): which driver actions are enabled in a state,
 * and the bookkeeping that makes each scripted step happen at most once per channel.
 */
import type { DriverAction } from "../guest/io.js";
import type { GuestState } from "../guest/state.js";
import { primaryOf } from "../guest/guest.js";
import { guestWaits } from "../guest/view.js";
import { Version } from "../wire/versions.js";
import type { DriverScript } from "./config.js";
import type { DriverProgress } from "./state.js";

/** The VP the driver script retargets a channel to (Linux posts nothing when the target is unchanged). */
export const MODIFY_TARGET_VP = 1;

export const INITIAL_DRIVER: DriverProgress = { opened: [], modified: [], closed: [], signalled: [], buffers: [], unloadRequested: false };

/** Channels the guest may signal now: opened, and not yet signalled in this open. */
export const signallable = (script: DriverScript, p: DriverProgress, g: GuestState): readonly number[] =>
  !script.signal || g.phase !== "connected"
    ? []
    : g.channels.filter((c) => c.phase.name === "opened" && count(p.signalled, c.relid) < count(p.opened, c.relid)).map((c) => c.relid);

export const recordSignal = (p: DriverProgress, relid: number): DriverProgress => ({ ...p, signalled: add(p.signalled, relid) });

/** Progress lists are sorted multisets of relids: one entry per time the step was taken. */
const count = (xs: readonly number[], x: number): number => xs.filter((y) => y === x).length;
const has = (xs: readonly number[], x: number): boolean => xs.includes(x);
const add = (xs: readonly number[], x: number): readonly number[] => [...xs, x].sort((a, b) => a - b);
const addOnce = (xs: readonly number[], x: number): readonly number[] => (xs.includes(x) ? xs : add(xs, x));
const made = (p: DriverProgress, relid: number): number => p.buffers.find((b) => b.relid === relid)?.made ?? 0;

export const enabledDriverActions = (script: DriverScript, p: DriverProgress, g: GuestState): readonly DriverAction[] => {
  if (g.phase !== "connected" || p.unloadRequested) return [];
  const out: DriverAction[] = [];
  // The first `channels` channels the guest knows, by relid.
  const targets = g.channels.slice(0, script.channels);
  for (const c of targets) {
    const creating = g.gpadls.some((x) => x.relid === c.relid && x.state === "creating");
    if (c.phase.name === "offered" && count(p.opened, c.relid) < script.cycles)
      out.push({ kind: "openChannel", relid: c.relid, sendPages: script.ringPages.send, recvPages: script.ringPages.recv });
    if (c.phase.name === "opened") {
      if (made(p, c.relid) < script.buffers && !creating) out.push({ kind: "createGpadl", relid: c.relid, pages: script.bufferPages });
      if (script.modify && !has(p.modified, c.relid) && !g.modifyPending.some((x) => x.relid === c.relid) && g.version !== null && g.version >= Version.WIN10_V4_1)
        out.push({ kind: "modifyChannel", relid: c.relid, targetVp: MODIFY_TARGET_VP });
      // A sub-channel is closed with its primary (GUEST-CLOSE-2), never alone.
      if (script.close && count(p.closed, c.relid) < count(p.opened, c.relid) && !creating && !primaryOf(g, c)) out.push({ kind: "closeChannel", relid: c.relid });
    }
    // Buffers are torn down after the channel was closed (netvsc order).
    if (c.phase.name === "offered" && has(p.closed, c.relid))
      for (const x of g.gpadls) if (x.relid === c.relid && x.purpose === "buffer" && x.state === "created") out.push({ kind: "teardownGpadl", gpadl: x.handle });
  }
  const idle =
    g.allOffersDelivered &&
    g.outbox.length === 0 &&
    guestWaits(g).length === 0 &&
    g.gpadls.length === 0 &&
    g.channels.every((c) => c.phase.name === "offered");
  if (script.unload && idle) out.push({ kind: "unload" });
  return out;
};

// A switch, not ts-pattern: this runs for every driver step the checker explores.
export const recordDriverAction = (p: DriverProgress, a: DriverAction): DriverProgress => {
  switch (a.kind) {
    case "openChannel":
      return { ...p, opened: add(p.opened, a.relid) };
    case "closeChannel":
      return { ...p, closed: add(p.closed, a.relid) };
    case "modifyChannel":
      return { ...p, modified: addOnce(p.modified, a.relid) };
    case "createGpadl":
      return { ...p, buffers: [...p.buffers.filter((b) => b.relid !== a.relid), { relid: a.relid, made: made(p, a.relid) + 1 }].sort((x, y) => x.relid - y.relid) };
    case "teardownGpadl":
      return p;
    case "unload":
      return { ...p, unloadRequested: true };
  }
};
