/**
 * The `openvmm` host's own state, named as OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * names it (pinned at 1488a37b): one `Channel` per offer with its `ChannelState`, the
 * `ConnectionState`, the GPADL map keyed by (gpadl id, offer id) with its `GpadlState`, the
 * incomplete-GPADL map keyed by gpadl id, `PendingMessages`, and the KVM backend's per-VP SynIC
 * message queue (hv1_emulator/src/message_queues.rs). The shared HostState fields (channels,
 * gpadls, connected …) are a projection of this (project.ts), kept for the system model's view.
 */
import type { PostedMessage, QueuedPost } from "../state.js";

/**
 * channels.rs:472 `enum ChannelState`, the variants a step can leave a channel in. The device
 * answers open and close within the step, so Opening, Closing, ClosingReopen and the
 * *ClientRelease variants are never seen between inputs; Reoffered needs a revoked offer to be
 * offered again, which no host input does (deviceAdded makes a new offer).
 */
export type OvmmChannelState = "ClientReleased" | "Closed" | "Open" | "Revoked";

/** channels.rs `OpenRequest` (the parts the model needs). */
export interface OvmmOpenRequest {
  readonly openId: number;
  readonly ringGpadl: number;
  /** `vp_index_if_enabled`: null when the guest asked for 0xFFFFFFFF (interrupts disabled). */
  readonly targetVp: number | null;
  readonly downstreamOffset: number;
  /** The guest's HvSignalEvent connection id: OpenChannel2's with guest_specified_signal_parameters, else the offer's (channels.rs:1277). */
  readonly connectionId: number;
}

/** channels.rs `ReservedState`: where a reserved channel's replies go. */
export interface OvmmReserved {
  readonly vp: number;
  readonly sint: number;
}

export interface OvmmChannel {
  /** OfferId: index into the offer slab, stable for the offer's life. */
  readonly offerId: number;
  /** Index into HostState.devices. */
  readonly device: number;
  readonly subChannelIndex: number;
  readonly state: OvmmChannelState;
  /** `ChannelInfo.channel_id`: assigned at REQUESTOFFERS (channels.rs:2745), 0 = none. */
  readonly channelId: number;
  readonly params: OvmmOpenRequest | null;
  readonly reserved: OvmmReserved | null;
  // No `ModifyState`: the device answers MODIFYCHANNEL within the step, so a modify is never
  // pending between inputs and HOST-OPENVMM-MODIFY-2 cannot be reached in this model.
}

/**
 * channels.rs:1204 `enum GpadlState`, the variants a step can leave a GPADL in: the device accepts
 * a complete GPADL within the step, so Offered and OfferedTearingDown are never seen between inputs.
 */
export type OvmmGpadlState = "InProgress" | "Accepted" | "TearingDown";

export interface OvmmGpadl {
  readonly id: number;
  readonly offerId: number;
  /** range count (`Gpadl.count`). */
  readonly count: number;
  /** capacity in u64 values: range_buflen / 8, floored (channels.rs:2806). */
  readonly capacity: number;
  /** u64 values received (decimal strings). */
  readonly buf: readonly string[];
  readonly state: OvmmGpadlState;
}

/** channels.rs:260 `enum ConnectionState` (Connecting/Disconnecting complete within a step: see README of this folder in doc.ts). */
export interface OvmmConnectionInfo {
  readonly version: number;
  readonly featureFlags: number;
  readonly targetMessageVp: number;
  readonly offersSent: boolean;
  readonly paused: boolean;
  readonly interruptPage: string;
}

export interface OvmmState {
  readonly connection: OvmmConnectionInfo | null;
  readonly channels: readonly OvmmChannel[];
  readonly nextOfferId: number;
  readonly gpadls: readonly OvmmGpadl[];
  /** channels.rs `incomplete_gpadls`: gpadl id -> offer id of an InProgress GPADL. */
  readonly incomplete: readonly { readonly id: number; readonly offerId: number }[];
  /** channels.rs `PendingMessages` (messages not sent because paused or earlier ones pending). */
  readonly pending: readonly PostedMessage[];
  /** The KVM backend's SynIC message queue (unbounded; head is being delivered). */
  readonly synic: readonly PostedMessage[];
  /** A guest-reachable panic happened: the server task is gone and nothing is processed again. */
  readonly crashed: string | null;
}

export type { QueuedPost };
