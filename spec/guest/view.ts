/**
 * What the guest believes, for system invariants and traces. Waits are derived: a reply is
 * awaited once its request was posted (no longer in the outbox) and the phase still needs it.
 */
import type { Message } from "../wire/messages.js";
import type { GuestWait } from "./io.js";
import type { ConnectionPhase, GuestState } from "./state.js";

const queued = (s: GuestState, pred: (m: Message) => boolean): boolean => s.outbox.some((o) => pred(o.message));

export const guestWaits = (s: GuestState): readonly GuestWait[] => {
  const waits: GuestWait[] = [];
  if (s.phase === "connecting" && !queued(s, (m) => m.type === "InitiateContact")) {
    waits.push({ for: "VersionResponse", version: s.requestedVersion });
  }
  if (s.phase === "disconnecting" && !queued(s, (m) => m.type === "Unload")) waits.push({ for: "UnloadResponse" });
  for (const g of s.gpadls) {
    if (g.state === "creating" && !queued(s, (m) => (m.type === "GpadlHeader" || m.type === "GpadlBody") && m.gpadl === g.handle))
      waits.push({ for: "GpadlCreated", relid: g.relid, gpadl: g.handle });
    if (g.state === "tearingDown" && !queued(s, (m) => m.type === "GpadlTeardown" && m.gpadl === g.handle))
      waits.push({ for: "GpadlTorndown", gpadl: g.handle });
  }
  for (const c of s.channels) {
    if (c.phase.name === "opening" && !queued(s, (m) => m.type === "OpenChannel" && m.childRelid === c.relid))
      waits.push({ for: "OpenChannelResult", relid: c.relid });
  }
  if (s.version !== null && s.version >= 0x00050003)
    for (const p of s.modifyPending)
      if (!queued(s, (m) => m.type === "ModifyChannel" && m.childRelid === p.relid)) waits.push({ for: "ModifyChannelResponse", relid: p.relid });
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
