/**
 * System invariants, checked in every reachable state, and the findings a single step can
 * produce (host defects, host messages the guest dropped, unanswered hypercalls).
 */
import { guestView } from "../guest/view.js";
import { Limits } from "../wire/constants.js";
import { formatVersion } from "../wire/versions.js";
import type { SystemConfig } from "./config.js";
import type { HostModel } from "./host-model.js";
import type { SystemOutput, Violation } from "./outputs.js";
import type { SystemState } from "./state.js";

const inv = (rule: string, message: string): Violation => ({ kind: "invariant", rule, message });

export const checkInvariants = <HC, HS>(host: HostModel<HC, HS>, config: SystemConfig<HC>, s: SystemState<HS>): readonly Violation[] => {
  const out: Violation[] = [];
  for (const v of host.invariants(config.host, s.host)) out.push(inv(v.rule, v.message));
  if (s.slot && (s.slot.payloadSize > Limits.MESSAGE_PAYLOAD || s.slot.payload.length / 2 > Limits.MESSAGE_PAYLOAD))
    out.push(inv("SYS-SLOT-1", `slot holds ${s.slot.payloadSize} bytes (> 240)`));
  // The guest-host agreement invariants bind the well-behaved guest only while it alone has
  // spoken: after a hostile post (mixed mode) the host answers messages the guest never sent.
  if (!s.guest || s.hostile.posts > 0) return out;
  const g = guestView(s.guest);
  const h = host.view(s.host);
  const gone = (relid: number): boolean => s.rescinded.includes(relid) || !h.offeredRelids.includes(relid);
  for (const c of g.channelsOpen) {
    const hc = h.openChannels.find((x) => x.relid === c.relid);
    if (!gone(c.relid) && (!hc || hc.gpadl !== c.gpadl))
      out.push(inv("SYS-OPEN-1", `guest believes channel ${c.relid} open on GPADL ${c.gpadl}; host ${hc ? `uses GPADL ${hc.gpadl}` : "has it closed"}`));
  }
  for (const x of g.gpadlsCreated) {
    const hg = h.gpadls.find((y) => y.id === x.handle);
    if (!gone(x.relid) && (!hg || !hg.complete))
      out.push(inv("SYS-GPADL-1", `guest believes GPADL 0x${x.handle.toString(16)} created; host ${hg ? "has it incomplete" : "does not have it"}`));
  }
  if (g.phase === "connected" && g.version !== null && (!h.connected || h.version !== g.version))
    out.push(inv("SYS-VERSION-1", `guest connected at ${formatVersion(g.version)}; host ${h.connected ? `at ${formatVersion(h.version ?? 0)}` : "not connected"}`));
  if (g.phase === "unloaded" && s.guest.version !== null && s.guest.version >= 0x00030000 && s.driver.unloadRequested) {
    if (h.openChannels.length > 0 || h.gpadls.some((x) => x.state !== "torndown"))
      out.push(inv("SYS-UNLOAD-1", `after UNLOAD_RESPONSE the host still has ${h.openChannels.length} open channel(s) and ${h.gpadls.length} GPADL(s)`));
  }
  return out;
};

/**
 * Findings carried by one step's outputs. `guestContract` is false once the hostile guest has
 * posted (mixed mode): host messages the well-behaved guest then drops and signals on channels
 * the hostile guest closed are consequences of the hostile posts, not findings.
 */
export const stepViolations = (outputs: readonly SystemOutput[], guestContract = true): readonly Violation[] => {
  const out: Violation[] = [];
  let posts = 0;
  let statuses = 0;
  for (const o of outputs) {
    if (o.source === "host" && o.output.kind === "defect") out.push({ kind: "defect", rule: o.output.rule, message: o.output.description });
    if (o.source === "host" && o.output.kind === "hypercallStatus") statuses++;
    if (guestContract && o.source === "guest" && o.output.kind === "dropped") out.push(inv(o.output.rule, `host message dropped by the guest: ${o.output.reason}`));
    if (o.source === "transport" && (o.event.kind === "post" || o.event.kind === "signal")) posts++;
    if (guestContract && o.source === "transport" && o.event.kind === "signal" && o.event.hostOpen && o.event.status !== 0)
      out.push(inv("SYS-SIGNAL-1", `HvSignalEvent on connection id ${o.event.connectionId} (offer of channel ${o.event.relid}, open on the host) failed with status ${o.event.status}`));
  }
  if (posts !== statuses) out.push(inv("SYS-HCALL-1", `${posts} post(s) got ${statuses} hypercall status(es)`));
  return out;
};

/** Deadlock (SYS-DEADLOCK-1): the guest waits and no input is enabled. */
export const deadlock = <HS>(s: SystemState<HS>, enabledCount: number): Violation | undefined => {
  if (!s.guest || enabledCount > 0 || s.hostile.posts > 0) return undefined;
  const waits = guestView(s.guest).waits;
  if (waits.length === 0) return undefined;
  return { kind: "deadlock", rule: "SYS-DEADLOCK-1", message: `guest waits for ${waits.map((w) => w.for).join(", ")} and nothing can happen` };
};
