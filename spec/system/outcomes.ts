/**
 * Protocol outcomes: what a step made the host do that is NOT a violation but worth a shortest
 * trace — every input the host rejected or dropped (by the rule that says so, e.g. HOST-HC-6
 * INSUFFICIENT_BUFFERS for a full queue), and the QEMU quirks (docs/sources.md) that the spec
 * models as accepted behaviour (a device reset by CLOSECHANNEL of a channel that is not open,
 * #11; an open on a torn-down GPADL, #12). Defects (HOST-QEMU-DEFECT-*) are violations, not
 * outcomes (see stepViolations).
 */
import type { HostView } from "./host-model.js";
import type { SystemOutput } from "./outputs.js";

export interface Outcome {
  /** The rule whose outcome this is (a host rule ID). */
  readonly rule: string;
  /** The QEMU quirk (docs/sources.md) it exhibits in profile qemu, if any. */
  readonly row: number | null;
  readonly message: string;
}

/** QEMU quirks of host rules whose rejections exhibit them (profile qemu). */
export const REJECTION_ROWS: Readonly<Record<string, number>> = {
  "HOST-GPADL-2": 5, // GPADL_HEADER reusing a live id: ignored, no GPADL_CREATED
  "HOST-MSG-1": 6, // too short: silently dropped
  "HOST-CONNECT-9": 6,
  "HOST-GPADL-1": 6, // malformed / unsupported GPADL header
  "HOST-GPADL-5": 6, // GPADL_BODY for an unknown id
  "HOST-GPADL-12": 6, // teardown of an unknown id
  "HOST-OPEN-1": 6, // OPEN for an unknown relid or a channel not in INIT
  "HOST-CLOSE-1": 6,
  "HOST-MSG-3": 8, // RELID_RELEASED and other unknown types: "unknown message type"
  "HOST-HC-5": 9, // type 0 or ≥ 18: INVALID_HYPERCALL_INPUT at the hypercall
  "HOST-UNLOAD-1": 10, // messages queued while UNLOAD is answered are dropped
};

/** QEMU quirks of the QEMU defect rules (violations; listed for reports). */
export const DEFECT_ROWS: Readonly<Record<string, number>> = {
  "HOST-QEMU-DEFECT-1": 1,
  "HOST-QEMU-DEFECT-2": 2,
  "HOST-QEMU-DEFECT-3": 3,
  "HOST-QEMU-DEFECT-4": 7,
};

/** The key outcomes are deduplicated by (rule and row). */
export const outcomeKey = (o: Outcome): string => `${o.rule}#${o.row ?? "-"}`;

/**
 * The outcomes of one step, given the host's view before and after it (views are read only
 * when the step's outputs name a device event, so callers may pass thunks).
 */
export const stepOutcomes = (outputs: readonly SystemOutput[], before: () => HostView, after: () => HostView): readonly Outcome[] => {
  const out: Outcome[] = [];
  let deviceEvent = false;
  for (const o of outputs) {
    if (o.source !== "host") continue;
    if (o.output.kind === "rejected") out.push({ rule: o.output.rule, row: REJECTION_ROWS[o.output.rule] ?? null, message: o.output.reason });
    if (o.output.kind === "deviceNotify") deviceEvent = true;
  }
  if (!deviceEvent) return out;
  const pre = before();
  const post = after();
  for (const o of outputs) {
    // QEMU quirk Q11: a device reset while connected by closing a channel that was not open.
    if (o.source === "host" && o.output.kind === "deviceNotify" && o.output.reason === "reset" && pre.connected && post.connected) {
      const relid = o.output.relid;
      if (!pre.openChannels.some((c) => c.relid === relid))
        out.push({ rule: "HOST-CLOSE-2", row: 11, message: `device of channel ${relid} reset by CLOSECHANNEL although none of its channels was open` });
    }
  }
  // QEMU quirk Q12: a channel became open on a GPADL that was already torn down.
  for (const c of post.openChannels) {
    if (pre.openChannels.some((x) => x.relid === c.relid && x.gpadl === c.gpadl)) continue;
    const g = pre.gpadls.find((x) => x.id === c.gpadl) ?? post.gpadls.find((x) => x.id === c.gpadl);
    if (g && g.state === "torndown")
      out.push({ rule: "HOST-OPEN-2", row: 12, message: `channel ${c.relid} opened on GPADL 0x${c.gpadl.toString(16)}, which was already torn down` });
  }
  return out;
};
