/** What a system step reports: the guest's and host's outputs and the transport's events. */
import type { GuestOutput } from "../guest/io.js";
import type { HostOutput } from "../host/interface.js";
import type { Hex } from "../wire/primitives.js";

export type TransportEvent =
  /** A guest HvPostMessage: the bytes it posted and the status it got. */
  | {
      readonly kind: "post";
      readonly connectionId: number;
      readonly messageType: number;
      readonly payloadSize: number;
      readonly payload: Hex;
      readonly status: number;
    }
  /** A host message written into the guest's slot. */
  | { readonly kind: "delivered"; readonly messageType: number; readonly payloadSize: number; readonly payload: Hex }
  /** A host message found the slot busy: the PENDING flag is set. */
  | { readonly kind: "slotBusy"; readonly messageType: number }
  /** The guest's HvSignalEvent for a channel, its status, and whether the host had the channel open. */
  | { readonly kind: "signal"; readonly relid: number; readonly connectionId: number; readonly status: number; readonly hostOpen: boolean }
  /** The guest freed its slot (and signalled EOM when the PENDING flag was set). */
  | { readonly kind: "slotFreed"; readonly eom: boolean }
  /** A host message could not be delivered: the guest's SynIC message page is disabled (-ENXIO). */
  | { readonly kind: "deliveryFailed"; readonly messageType: number; readonly status: number }
  /** The guest changed its SynIC (crash handler, kdump kernel, hostile guest). */
  | { readonly kind: "synic"; readonly messagePage: boolean; readonly sintMasked: boolean };

export type SystemOutput =
  | { readonly source: "guest"; readonly output: GuestOutput }
  | { readonly source: "host"; readonly output: HostOutput }
  | { readonly source: "transport"; readonly event: TransportEvent };

/** A finding: an invariant that fails, a deadlock, a host defect, or a liveness failure (SYS-LIVE-*). */
export interface Violation {
  readonly kind: "invariant" | "deadlock" | "defect" | "liveness";
  readonly rule: string;
  readonly message: string;
}
