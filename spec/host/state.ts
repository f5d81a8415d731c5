/**
 * The host reducer's state: plain, serialisable data (arrays and records only, u64 as decimal
 * strings). One shape serves every profile; fields a profile does not use stay at their
 * initial value. Names follow QEMU's `VMBus`, `VMBusChannel`, `VMBusGpadl`
 * where QEMU has the concept, OpenVMM's `channels.rs` otherwise.
 */
import type { GpadlBody, GpadlHeader, GpaRange } from "../wire/messages.js";
import type { Hex, U64 } from "../wire/primitives.js";
import type { DeviceSpec, HostOutput } from "./interface.js";
import type { OvmmState } from "./openvmm/state.js";

/** QEMU's VMBus states, in QEMU's numeric order. LISTEN processes; the rest send one reply. */
export const BUS_STATES = ["listen", "handshake", "offer", "createGpadl", "teardownGpadl", "openChannel", "unload"] as const;
export type BusState = (typeof BUS_STATES)[number];

/** VMOFFER_*. */
export type OfferState = "init" | "sending" | "sent";
/** VMCHAN_*; the queue-model profiles use "init" for OpenVMM's Closed. */
export type ChannelOpenState = "init" | "opening" | "open";
/** VMGPADL_*. */
export type GpadlLifecycle = "init" | "alive" | "tearingdown" | "torndown";

export interface ChannelState {
  readonly relid: number;
  /** Index into `HostState.devices`. */
  readonly device: number;
  /** 0 = primary, n = sub-channel n (QEMU `subchan_idx`). */
  readonly subChannelIndex: number;
  readonly offerState: OfferState;
  readonly state: ChannelOpenState;
  /** Resources set up (QEMU `is_open`): the ring GPADL reference is held while true. */
  readonly isOpen: boolean;
  readonly openId: number;
  readonly targetVp: number;
  readonly ringGpadl: number;
  readonly sendOffset: number;
  /** Queue model: RESCIND_CHANNELOFFER sent, waiting for RELID_RELEASED. */
  readonly rescinded: boolean;
  /** Queue model (≥ 5.3): a MODIFYCHANNEL is being answered. */
  readonly modifyPending: boolean;
}

export interface GpadlState {
  readonly id: number;
  /** As given in GPADL_HEADER (QEMU: stored, never checked). */
  readonly childRelid: number;
  /** Total u64 values of range data (QEMU: PFNs only, `num_gfns`). */
  readonly expected: number;
  /** Range data received so far (QEMU: `gfns[0..seen_gfns)`). */
  readonly data: readonly U64[];
  readonly rangeCount: number;
  readonly state: GpadlLifecycle;
  /** 1 for the creation reference + 1 per open channel using it (QEMU `refcount`). */
  readonly refcount: number;
  /** Queue model: the decoded header and bodies, reassembled when complete. */
  readonly header: GpadlHeader | null;
  readonly bodies: readonly GpadlBody[];
  /** Queue model: the complete ranges (empty until complete; QEMU: unused). */
  readonly ranges?: readonly GpaRange[];
}

/** One entry of the incoming message queue: the post-message input as queued. */
export interface QueuedPost {
  readonly connectionId: number;
  readonly payloadSize: number;
  /** The 240 payload bytes (zero-filled past what the guest gave). */
  readonly payload: Hex;
}

export type PostedMessage = Extract<HostOutput, { kind: "postMessage" }>;

export interface HostState {
  /** Fixed at boot from the profile: how replies are produced (profiles.ts replyModel). */
  readonly model: "stateRunner" | "outgoingQueue" | "synicQueue";
  /** Fixed at boot: message connection ids the host listens on. */
  readonly listening: readonly number[];
  readonly bus: BusState;
  /** Requested version as stored (QEMU keeps even a refused one); 0 = none. */
  readonly version: number;
  /** A version is accepted (queue model: drives message handling; QEMU: view only, set when VERSION_RESPONSE is delivered). */
  readonly connected: boolean;
  /** VP that receives control messages; 0xFFFFFFFF = none (QEMU `target_vp = -1`). */
  readonly targetVp: number;
  /** A SINT route to `targetVp` exists (QEMU `sint_route != NULL`). */
  readonly sintRoute: boolean;
  readonly interruptPage: U64;
  readonly monitorPage1: U64;
  readonly monitorPage2: U64;
  /** Negotiated feature flags; 0 below 6.0. */
  readonly features: number;
  /** Connection id the guest must post to after connecting (≥ 5.0); informational. */
  readonly msgConnId: number;
  readonly rxQueue: readonly QueuedPost[];
  /** The host message posted and not yet reported delivered. */
  readonly inFlight: PostedMessage | null;
  /** Queue model: replies waiting to be posted, in order. */
  readonly outQueue: readonly PostedMessage[];
  readonly devices: readonly DeviceSpec[];
  /** Channel list in QEMU order: device order, sub-channels after their primary. */
  readonly channels: readonly ChannelState[];
  /** GPADL list, newest first (QEMU inserts at the head). */
  readonly gpadls: readonly GpadlState[];
  /** Queue model: REQUESTOFFERS seen since connect. */
  readonly offersRequested: boolean;
  /** ALLOFFERS_DELIVERED posted since the last REQUESTOFFERS (invariant HOST-INV-6). */
  readonly allOffersSent: boolean;
  /** Queue model: PAUSE received (6.0 pause_resume). */
  readonly paused: boolean;
  /**
   * QEMU: a one-shot `vmbus_run` bottom half is scheduled and has not run (vmbus_resched, QEMU
   * hw/hyperv/vmbus.c). Each vmbus_resched schedules its own bottom half; a flag is enough
   * because a second one scheduled before the first runs can only find nothing to do, or do what
   * the first would have done had it run later (HOST-RUN-5).
   */
  readonly runPending: boolean;
  /**
   * QEMU: messages still staged on a SINT route that a machine reset released (HOST-QEMU-DEFECT-7);
   * their completions still reach vmbus_msg_cb (HOST-QEMU-DEFECT-8).
   */
  readonly staleDeliveries: number;
  /** The `openvmm` profile's own state (spec/host/openvmm); the fields above are its projection. */
  readonly openvmm?: OvmmState;
}
