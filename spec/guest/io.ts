/** The guest reducer's inputs and outputs. Plain data. */
import type { Message } from "../wire/messages.js";
import type { Hex } from "../wire/primitives.js";

/** What a driver (or the kernel at shutdown) asks the VMBus client to do. */
export type DriverAction =
  /** vmbus_open: ring of sendPages + recvPages 4 KiB pages. */
  | { readonly kind: "openChannel"; readonly relid: number; readonly sendPages: number; readonly recvPages: number }
  /** vmbus_close. */
  | { readonly kind: "closeChannel"; readonly relid: number }
  /** vmbus_establish_gpadl for a driver buffer on an opened channel. */
  | { readonly kind: "createGpadl"; readonly relid: number; readonly pages: number }
  /** vmbus_teardown_gpadl for a driver buffer. */
  | { readonly kind: "teardownGpadl"; readonly gpadl: number }
  /** vmbus_channel_set_cpu -> MODIFYCHANNEL. */
  | { readonly kind: "modifyChannel"; readonly relid: number; readonly targetVp: number }
  /** vmbus_initiate_unload (shutdown). */
  | { readonly kind: "unload" };

export type GuestInput =
  | { readonly kind: "driver"; readonly action: DriverAction }
  /** The HvPostMessage status for the head of `lane` (see `guestPostable`). */
  | { readonly kind: "postResult"; readonly lane: number; readonly status: number }
  /** The guest copied its SINT-2 slot: payload_size and the payload bytes. */
  | { readonly kind: "hostMessage"; readonly payloadSize: number; readonly payload: Hex };

/** A reply the guest waits for (Linux: a msginfo on chn_msg_list, or unload_event). */
export type GuestWait =
  | { readonly for: "VersionResponse"; readonly version: number }
  | { readonly for: "GpadlCreated"; readonly relid: number; readonly gpadl: number }
  | { readonly for: "OpenChannelResult"; readonly relid: number }
  | { readonly for: "GpadlTorndown"; readonly gpadl: number }
  | { readonly for: "ModifyChannelResponse"; readonly relid: number }
  | { readonly for: "UnloadResponse" };

export type GuestOutput =
  /** A post the guest made: connection id, message, its exact bytes, and the hypercall status. */
  | { readonly kind: "posted"; readonly connectionId: number; readonly message: Message; readonly bytes: Hex; readonly status: number }
  /** The guest now waits (no timeout) for a reply. */
  | { readonly kind: "wait"; readonly wait: GuestWait }
  /** A state change worth showing in a trace ("connected 4.0", "channel 1 opened", …). */
  | { readonly kind: "event"; readonly what: string }
  /** A host message the guest refused as malformed: a finding against the host. */
  | { readonly kind: "dropped"; readonly rule: string; readonly reason: string }
  /** A well-formed host message that matched nothing and was ignored. */
  | { readonly kind: "ignored"; readonly rule: string; readonly reason: string }
  /** A driver action the guest refused. */
  | { readonly kind: "refused"; readonly rule: string; readonly reason: string }
  /** An operation that failed (post failure, non-zero status): the driver sees an error. */
  | { readonly kind: "failed"; readonly rule: string; readonly reason: string };
