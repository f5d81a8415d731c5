import type { ProfileName } from "../profiles.js";

/**
 * A normative rule of the spec. Every rejection, fault and defect the spec reports carries the
 * ID of the rule it applies, so that a verdict can always be traced to a sentence and a source.
 *
 * ID convention: `<AREA>-<TOPIC>-<n>`, AREA one of WIRE, RING, HOST, GUEST, SYS
 * (e.g. `HOST-GPADL-3`). IDs are stable: never renumber, only add.
 */
export interface Rule {
  readonly id: string;
  readonly area: "wire" | "ring" | "host" | "guest" | "system";
  /** One sentence, normative ("The host MUST …", "A reader MUST …"). */
  readonly sentence: string;
  /** Profiles the rule applies to ("all" for every profile). */
  readonly profiles: readonly ProfileName[] | "all";
  /** Where the fact comes from: section + source tag/path, e.g. "QEMU hw/hyperv/vmbus.c hw/hyperv/vmbus.c handle_gpadl_header". */
  readonly source: string;
}
