/**
 * QEMU's state runner table (QEMU hw/hyperv/vmbus.c `state_runner[]`) as data: for each bus
 * state, what `run` does and what `complete` (after delivery) does. The engine dispatches on
 * it and docs/host.md draws the state diagram from it.
 */
import type { BusState } from "../state.js";

export interface RunnerRow {
  readonly state: BusState;
  readonly qemuName: string;
  readonly run: string;
  readonly sends: string | null;
  readonly complete: string | null;
  /** Where `complete` leads: LISTEN, or staying (offers continue). */
  readonly after: string;
}

export const STATE_RUNNER: readonly RunnerRow[] = [
  { state: "listen", qemuName: "VMBUS_LISTEN", run: "process_message", sends: null, complete: null, after: "—" },
  { state: "handshake", qemuName: "VMBUS_HANDSHAKE", run: "send_handshake", sends: "VERSION_RESPONSE", complete: null, after: "LISTEN" },
  { state: "offer", qemuName: "VMBUS_OFFER", run: "send_offer", sends: "OFFERCHANNEL / ALLOFFERS_DELIVERED", complete: "complete_offer", after: "OFFER while offers remain, LISTEN after ALLOFFERS_DELIVERED" },
  { state: "createGpadl", qemuName: "VMBUS_CREATE_GPADL", run: "send_create_gpadl", sends: "GPADL_CREATED", complete: "complete_create_gpadl", after: "LISTEN" },
  { state: "teardownGpadl", qemuName: "VMBUS_TEARDOWN_GPADL", run: "send_teardown_gpadl", sends: "GPADL_TORNDOWN", complete: "complete_teardown_gpadl", after: "LISTEN" },
  { state: "openChannel", qemuName: "VMBUS_OPEN_CHANNEL", run: "send_open_channel", sends: "OPENCHANNEL_RESULT", complete: "complete_open_channel", after: "LISTEN" },
  { state: "unload", qemuName: "VMBUS_UNLOAD", run: "send_unload", sends: "UNLOAD_RESPONSE", complete: "complete_unload (bus reset)", after: "LISTEN" },
];

/** Transitions out of LISTEN made by the incoming-message handlers. */
export const LISTEN_TRANSITIONS: readonly { readonly message: string; readonly to: BusState; readonly when: string }[] = [
  { message: "INITIATE_CONTACT", to: "handshake", when: "len ≥ 40 (resets the bus first)" },
  { message: "REQUESTOFFERS", to: "offer", when: "initialized" },
  { message: "GPADL_HEADER", to: "createGpadl", when: "GPADL complete" },
  { message: "GPADL_BODY", to: "createGpadl", when: "GPADL now complete" },
  { message: "GPADL_TEARDOWN", to: "teardownGpadl", when: "GPADL exists, not torn down" },
  { message: "OPENCHANNEL", to: "openChannel", when: "channel exists and INIT" },
  { message: "UNLOAD", to: "unload", when: "always" },
];

/** The incoming-message handler table as data, for docs/host.md. */
export const HANDLER_TABLE: readonly { readonly message: string; readonly preconditions: string; readonly effect: string; readonly reply: string; readonly rules: string }[] = [
  { message: "INITIATE_CONTACT (14)", preconditions: "len ≥ 40", effect: "full bus reset; store target VP, version, interrupt page (< 2.4); SINT route", reply: "HANDSHAKE → VERSION_RESPONSE {version_supported = 0 < v ≤ 4.0}", rules: "HOST-CONNECT-1, -2, -9; HOST-QEMU-DEFECT-2, -4" },
  { message: "REQUESTOFFERS (3)", preconditions: "initialized", effect: "first INIT channel → SENDING", reply: "OFFER → OFFERCHANNEL × n, ALLOFFERS_DELIVERED", rules: "HOST-OFFER-1, -3, -5" },
  { message: "GPADL_HEADER (8)", preconditions: "len ≥ 28; initialized; rangecount 1; byte_offset 0; byte_count = num_gfns << 12; id not in list", effect: "GPADL INIT, refcount 1; copy PFNs", reply: "CREATE_GPADL → GPADL_CREATED if complete", rules: "HOST-GPADL-1, -2, -3, -4; HOST-QEMU-DEFECT-3" },
  { message: "GPADL_BODY (9)", preconditions: "len ≥ 16; initialized; id in list", effect: "assert(num_gfns_left); copy PFNs", reply: "CREATE_GPADL → GPADL_CREATED if now complete", rules: "HOST-GPADL-5; HOST-QEMU-DEFECT-1" },
  { message: "GPADL_TEARDOWN (11)", preconditions: "len ≥ 16; initialized; id in list, not TORNDOWN", effect: "TEARINGDOWN", reply: "TEARDOWN_GPADL → GPADL_TORNDOWN; then TORNDOWN, put", rules: "HOST-GPADL-6, -12" },
  { message: "OPENCHANNEL (5)", preconditions: "len ≥ 148; initialized; channel exists, INIT", effect: "open_channel: GPADL complete (+1 ref), ring split, SINT route, device callback", reply: "OPEN_CHANNEL → OPENCHANNEL_RESULT {status 0 / 1}", rules: "HOST-OPEN-1..5, -8; HOST-QEMU-DEFECT-4" },
  { message: "CLOSECHANNEL (7)", preconditions: "len ≥ 12; initialized; channel exists", effect: "close resources; INIT; device reset if none of its channels open", reply: "none", rules: "HOST-CLOSE-1, -2" },
  { message: "UNLOAD (16)", preconditions: "none", effect: "—", reply: "UNLOAD → queue emptied, UNLOAD_RESPONSE; bus reset after delivery", rules: "HOST-UNLOAD-1; HOST-QEMU-DEFECT-2" },
  { message: "any other type 1..17", preconditions: "—", effect: "\"unknown message type\"", reply: "none", rules: "HOST-MSG-3" },
];
