/**
 * The Linux-like guest's state: plain, serialisable data.
 *
 * Linux keeps one list of requests waiting for a reply (`chn_msg_list`); here the waits are
 * derived from the phases below (see `guestWaits`), so a state can never hold a wait that
 * nothing explains.
 */
import type { CloseChannel, GpadlBody, GpadlHeader, GpadlTeardown, InitiateContact, ModifyChannel, OpenChannel, RelIdReleased, RequestOffers, Unload } from "../wire/messages.js";
import type { Guid } from "../wire/primitives.js";

/** Linux connection states DISCONNECTED/CONNECTING/CONNECTED/DISCONNECTING, plus the two ends. */
export type ConnectionPhase =
  | "connecting" // INITIATE_CONTACT for candidates[candidate] queued or posted
  | "connected"
  | "disconnecting" // UNLOAD posted, waiting for UNLOAD_RESPONSE
  | "unloaded" // UNLOAD_RESPONSE received (or no UNLOAD needed): nothing is open
  | "failed"; // version list exhausted ("Unable to connect to host")

/**
 * A channel's life in the guest. Linux: CHANNEL_OPEN_STATE ("offered", ready to open),
 * CHANNEL_OPENING_STATE (creatingRing, opening), CHANNEL_OPENED_STATE (opened); closing keeps
 * the channel in OPEN_STATE while its ring GPADL is torn down (closing).
 */
export type ChannelPhase =
  | { readonly name: "offered" }
  | { readonly name: "creatingRing"; readonly gpadl: number; readonly sendPages: number }
  | { readonly name: "opening"; readonly gpadl: number; readonly sendPages: number }
  | { readonly name: "opened"; readonly gpadl: number }
  | { readonly name: "closing"; readonly gpadl: number }
  /** A primary being closed: its open sub-channels are closed first, `pending` in order (vmbus_disconnect_ring). */
  | { readonly name: "closingSubChannels"; readonly gpadl: number; readonly pending: readonly number[]; readonly rescinded?: true }
  /** An open sub-channel the host rescinded: closed and released only when its primary closes. */
  | { readonly name: "rescindedOpen"; readonly gpadl: number };

export interface GuestChannel {
  readonly relid: number;
  readonly interfaceType: Guid;
  readonly interfaceInstance: Guid;
  readonly subChannelIndex: number;
  /** The offer's connection_id: what HvSignalEvent is called with (sig_event). */
  readonly signalConnectionId: number;
  /** VP the channel's interrupts target (Linux target_cpu): OPENCHANNEL's target_vp, then each completed MODIFYCHANNEL's. */
  readonly targetVp: number;
  readonly phase: ChannelPhase;
}

/**
 * A GPADL the guest established (or is establishing / tearing down). `purpose` "ring" is the
 * channel's ring buffer; "buffer" is a driver's extra buffer (e.g. netvsc receive buffer).
 */
export interface GuestGpadl {
  readonly handle: number;
  readonly relid: number;
  readonly purpose: "ring" | "buffer";
  readonly pages: number;
  readonly state: "creating" | "created" | "tearingDown";
}

/**
 * The message types this guest posts (Linux vmbus_post_msg callers in drivers/hv/connection.c,
 * channel.c, channel_mgmt.c). A type, not a runtime list: what fails to post is matched
 * exhaustively against exactly these (postFailed).
 */
export type GuestMessage =
  | InitiateContact
  | RequestOffers
  | GpadlHeader
  | GpadlBody
  | OpenChannel
  | CloseChannel
  | GpadlTeardown
  | ModifyChannel
  | Unload
  | RelIdReleased;

/**
 * A message the guest will post. Linux posts synchronously, one at a time per thread; different
 * channels' work runs on different threads (async driver probing, work queues), so each channel
 * has its own lane (its relid) and the bus-level messages lane 0. Within a lane order is kept.
 */
export interface Outgoing {
  readonly lane: number;
  readonly connectionId: number;
  readonly message: GuestMessage;
  /** Retryable failures seen so far for this post (see GuestConfig.postRetries). */
  readonly attempts: number;
}

export interface GuestState {
  readonly phase: ConnectionPhase;
  /** Index into the candidate list of the version being tried (or negotiated). */
  readonly candidate: number;
  /** The version of the latest INITIATE_CONTACT queued (0 when none). */
  readonly requestedVersion: number;
  /** The negotiated version once connected (null before). */
  readonly version: number | null;
  /** Connection id for every message after INITIATE_CONTACT (GUEST-VERSION-4). */
  readonly messageConnectionId: number;
  readonly allOffersDelivered: boolean;
  /** Channels by ascending relid. */
  readonly channels: readonly GuestChannel[];
  /** GPADLs by ascending handle. */
  readonly gpadls: readonly GuestGpadl[];
  /** Next GPADL handle (global, from 0xE1E10; GUEST-GPADL-1). */
  readonly nextGpadl: number;
  /** Posts still to make, oldest first (per lane: head first). */
  readonly outbox: readonly Outgoing[];
  /**
   * MODIFYCHANNELs not yet complete, by ascending relid (one per channel; different channels'
   * may be in flight together): below 5.3 until posted, from 5.3 until MODIFYCHANNEL_RESPONSE.
   */
  readonly modifyPending: readonly { readonly relid: number; readonly targetVp: number }[];
}
