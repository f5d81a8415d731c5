/** GPADLs in the queue model: multi-range headers and bodies, creation, deferred teardown (HOST-GPADL-*). */
import { reassembleGpadl } from "../../wire/gpadl.js";
import type { MessageOf } from "../../wire/messages.js";
import { type Ctx, findGpadl, gpadlComplete, putGpadl, reject, setGpadl } from "../common.js";
import type { HostRuleId } from "../rules.js";
import { liveOffered } from "./offers.js";
import { enqueue, UNSUCCESSFUL } from "./out.js";

export const gpadlFailed = (c: Ctx, childRelid: number, gpadl: number, rule: HostRuleId, why: string): void => {
  reject(c, rule, why);
  enqueue(c, { type: "GpadlCreated", childRelid, gpadl, creationStatus: UNSUCCESSFUL });
};

export const stream = (h: MessageOf<"GpadlHeader">): string[] => {
  const out: string[] = [];
  for (const r of h.ranges) out.push((BigInt(r.byteCount >>> 0) + (BigInt(r.byteOffset >>> 0) << 32n)).toString(), ...r.pfns);
  return out;
};

/** Reassemble and answer a GPADL whose range data is complete (HOST-GPADL-4 / -9). */

export const finishGpadl = (c: Ctx, id: number): void => {
  const g = findGpadl(c.s, id);
  if (!g || !g.header) return;
  const r = reassembleGpadl(g.header, g.bodies);
  const bad = r.ok ? r.value.ranges.findIndex((x) => x.byteCount === 0) : -1;
  if (!r.ok || bad >= 0 || g.header.rangeCount === 0) {
    c.s = { ...c.s, gpadls: c.s.gpadls.filter((x) => x.id !== id) };
    return gpadlFailed(c, g.childRelid, id, "HOST-GPADL-9", !r.ok ? r.error.message : bad >= 0 ? `range ${bad} has byte_count 0` : "rangecount 0");
  }
  setGpadl(c, id, { state: "alive", ranges: r.value.ranges, bodies: [] });
  enqueue(c, { type: "GpadlCreated", childRelid: g.childRelid, gpadl: id, creationStatus: 0 });
};

export const gpadlHeader = (c: Ctx, h: MessageOf<"GpadlHeader">): void => {
  if (!liveOffered(c, h.childRelid)) return gpadlFailed(c, h.childRelid, h.gpadl, "HOST-GPADL-10", `GPADL ${h.gpadl} for relid ${h.childRelid}, which is not an offered channel`);
  if (findGpadl(c.s, h.gpadl)) return gpadlFailed(c, h.childRelid, h.gpadl, "HOST-GPADL-2", `GPADL id ${h.gpadl} is in use`);
  const data = stream(h);
  const expected = h.rangeBufferLength / 8;
  c.s = {
    ...c.s,
    gpadls: [{ id: h.gpadl, childRelid: h.childRelid, expected, data, rangeCount: h.rangeCount, state: "init", refcount: 1, header: h, bodies: [] }, ...c.s.gpadls],
  };
  if (data.length >= expected) finishGpadl(c, h.gpadl);
};

export const gpadlBody = (c: Ctx, b: MessageOf<"GpadlBody">): void => {
  const g = findGpadl(c.s, b.gpadl);
  if (!g) return void reject(c, "HOST-GPADL-5", `GPADL_BODY for unknown GPADL ${b.gpadl}`);
  // Complete covers "alive" and "tearingdown" too: only a complete GPADL gets either.
  if (gpadlComplete(g)) return void reject(c, "HOST-GPADL-11", `GPADL_BODY for complete GPADL ${b.gpadl}`);
  const room = g.expected - g.data.length;
  setGpadl(c, g.id, { data: [...g.data, ...b.pfns.slice(0, room)], bodies: [...g.bodies, b] });
  if (b.pfns.length >= room) finishGpadl(c, g.id);
};

export const inUse = (c: Ctx, id: number): boolean => c.s.channels.some((ch) => ch.isOpen && ch.ringGpadl === id);

/**
 * GPADL_TORNDOWN, and the GPADL is freed: here it is never in use any more (a ring's teardown
 * waits for its channel to close, HOST-GPADL-7), so the list's own reference is the last one and
 * no GPADL of the queue model stays in the "torndown" state (QEMU's can, spec/host/qemu).
 */
export const torndown = (c: Ctx, id: number): void => {
  enqueue(c, { type: "GpadlTorndown", gpadl: id });
  putGpadl(c, id);
};

/** HOST-GPADL-7: deferred teardowns whose GPADL is no longer used by an open channel. */

export const releaseDeferredTeardowns = (c: Ctx): void => {
  for (const g of c.s.gpadls) if (g.state === "tearingdown" && !inUse(c, g.id)) torndown(c, g.id);
};

export const gpadlTeardown = (c: Ctx, t: MessageOf<"GpadlTeardown">): void => {
  const g = findGpadl(c.s, t.gpadl);
  if (!g || g.childRelid !== t.childRelid || g.state === "tearingdown")
    return void reject(c, "HOST-GPADL-12", `GPADL_TEARDOWN for ${g ? `GPADL ${t.gpadl} (relid ${g.childRelid}, ${g.state})` : `unknown GPADL ${t.gpadl}`} on relid ${t.childRelid}`);
  if (g.state === "init" && c.p.teardownIncompleteGpadl === "reject") return void reject(c, "HOST-GPADL-8", `GPADL ${t.gpadl} is incomplete (InvalidGpadlState)`);
  if (inUse(c, g.id)) {
    // HOST-GPADL-7: an open channel's ring; GPADL_TORNDOWN is deferred until it closes.
    return setGpadl(c, g.id, { state: "tearingdown" });
  }
  torndown(c, g.id);
};

/** Pages of a one-range, page-aligned GPADL, or undefined. */
