/**
 * What the guest believes, for system invariants and traces. Waits are derived: a reply is
 * awaited once its request was posted (no longer in the outbox) and the phase still needs it.
 */
import type { GuestWait } from "./io.js";
import type { ConnectionPhase, GuestState } from "./state.js";

// The outbox scans below are loops, not `outbox.some(predicate)`: guestWaits runs twice in every
// guest step the checker explores, and a closure per test was a tenth of its allocation.

/** A message of `type` is still in the outbox. */
const queuedType = (s: GuestState, type: "InitiateContact" | "Unload"): boolean => {
  for (const o of s.outbox) if (o.message.type === type) return true;
  return false;
};

/** A GPADL_HEADER/GPADL_BODY (`creating`) or a GPADL_TEARDOWN of `gpadl` is still in the outbox. */
const queuedGpadl = (s: GuestState, gpadl: number, creating: boolean): boolean => {
  for (const { message: m } of s.outbox) {
    if (creating ? (m.type === "GpadlHeader" || m.type === "GpadlBody") && m.gpadl === gpadl : m.type === "GpadlTeardown" && m.gpadl === gpadl) return true;
  }
  return false;
};

/** An OPENCHANNEL or MODIFYCHANNEL of `relid` is still in the outbox. */
const queuedFor = (s: GuestState, type: "OpenChannel" | "ModifyChannel", relid: number): boolean => {
  // Both message types carry childRelid: the cast only tells the compiler so.
  for (const { message: m } of s.outbox) if (m.type === type && (m as { readonly childRelid: number }).childRelid === relid) return true;
  return false;
};

export const guestWaits = (s: GuestState): readonly GuestWait[] => {
  const waits: GuestWait[] = [];
  if (s.phase === "connecting" && !queuedType(s, "InitiateContact")) {
    waits.push({ for: "VersionResponse", version: s.requestedVersion });
  }
  if (s.phase === "disconnecting" && !queuedType(s, "Unload")) waits.push({ for: "UnloadResponse" });
  for (const g of s.gpadls) {
    if (g.state === "creating" && !queuedGpadl(s, g.handle, true)) waits.push({ for: "GpadlCreated", relid: g.relid, gpadl: g.handle });
    if (g.state === "tearingDown" && !queuedGpadl(s, g.handle, false)) waits.push({ for: "GpadlTorndown", gpadl: g.handle });
  }
  for (const c of s.channels) {
    if (c.phase.name === "opening" && !queuedFor(s, "OpenChannel", c.relid)) waits.push({ for: "OpenChannelResult", relid: c.relid });
  }
  if (s.version !== null && s.version >= 0x00050003)
    for (const p of s.modifyPending) if (!queuedFor(s, "ModifyChannel", p.relid)) waits.push({ for: "ModifyChannelResponse", relid: p.relid });
  return waits;
};

export interface GuestView {
  readonly phase: ConnectionPhase;
  /** Negotiated version (null until connected). */
  readonly version: number | null;
  readonly messageConnectionId: number;
  readonly offeredRelids: readonly number[];
  /** Channels the guest believes open (OPENCHANNEL_RESULT status 0 seen, not closed since). */
  readonly channelsOpen: readonly { readonly relid: number; readonly gpadl: number }[];
  /** GPADLs the guest believes created (GPADL_CREATED status 0 seen, no teardown started). */
  readonly gpadlsCreated: readonly { readonly handle: number; readonly relid: number }[];
  readonly waits: readonly GuestWait[];
  readonly pendingPosts: number;
}

export const guestView = (s: GuestState): GuestView => ({
  phase: s.phase,
  version: s.version,
  messageConnectionId: s.messageConnectionId,
  offeredRelids: s.channels.map((c) => c.relid),
  channelsOpen: s.channels.flatMap((c) => (c.phase.name === "opened" ? [{ relid: c.relid, gpadl: c.phase.gpadl }] : [])),
  gpadlsCreated: s.gpadls.filter((g) => g.state === "created").map((g) => ({ handle: g.handle, relid: g.relid })),
  waits: guestWaits(s),
  pendingPosts: s.outbox.length,
});
