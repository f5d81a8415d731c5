/**
 * The whole system's state: guest, host, and the SynIC transport between them.
 *
 * Transport model:
 *  - guest -> host: HvPostMessage is synchronous; the host answers with a hypercall status and
 *    queues the message in its 16-buffer port (host state).
 *  - host -> guest: the host posts one message at a time (`inFlight`); delivering it needs the
 *    guest's SINT-2 message slot to be free. A busy slot gets the PENDING flag and the message
 *    stays in flight until the guest frees the slot and signals EOM; then the host is told
 *    "slotBusy" and re-posts it on its next run (QEMU ).
 */
import type { GuestState } from "../guest/state.js";
import type { HostOutput } from "../host/interface.js";
import type { Hex } from "../wire/primitives.js";

export type PostedMessage = Extract<HostOutput, { kind: "postMessage" }>;

/** The guest's SINT-2 message slot: one message and the pending flag. */
export interface SlotState {
  readonly payloadSize: number;
  readonly payload: Hex;
  /** HV_MESSAGE_FLAG_PENDING: the host has another message waiting for this slot. */
  readonly pending: boolean;
}

/** Driver progress: which scripted actions were taken, per relid (sorted; opened/closed once per cycle). */
export interface DriverProgress {
  readonly opened: readonly number[];
  readonly modified: readonly number[];
  readonly closed: readonly number[];
  readonly signalled: readonly number[];
  readonly buffers: readonly { readonly relid: number; readonly made: number }[];
  readonly unloadRequested: boolean;
}

export interface SystemState<HS> {
  /** The well-behaved guest (null when the guest is hostile). */
  readonly guest: GuestState | null;
  readonly host: HS;
  readonly slot: SlotState | null;
  /** Host messages posted and not yet delivered, oldest first. */
  readonly inFlight: readonly PostedMessage[];
  readonly driver: DriverProgress;
  /** Relids rescinded by device events so far. */
  readonly rescinded: readonly number[];
  /** Hostile mode: whether the start point was reached, and how many hostile posts were made. */
  readonly hostile: HostileProgress;
  /** The guest's SynIC as the host's delivery sees it (QEMU hw/hyperv/hyperv.c cpu_post_msg). */
  readonly synic: SynicState;
  /** DriverScript.crash: "crashed" between the crash and the kdump kernel's start. */
  readonly crash: "none" | "crashed" | "rebooted";
}

/**
 * The guest-controlled SynIC settings that change delivery: with the message page disabled
 * (SIMP off) cpu_post_msg fails with -ENXIO, a fatal delivery failure; with the VMBus SINT
 * masked the message is written but the guest is not interrupted, so it does not read its slot.
 */
export interface SynicState {
  readonly messagePage: boolean;
  readonly sintMasked: boolean;
}

export interface HostileProgress {
  readonly armed: boolean;
  readonly posts: number;
}
