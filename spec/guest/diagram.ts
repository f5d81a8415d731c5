/**
 * The guest's state machines as data: the connection phases and the per-channel phases, each
 * transition with what causes it and the rule that says so. docs/system.md draws them;
 * properties/guest/diagram.test.ts checks every transition a run takes is listed here.
 */
import type { ChannelPhase, ConnectionPhase } from "./state.js";

export interface Transition<S extends string> {
  readonly from: S | "[*]";
  readonly to: S | "[*]";
  readonly on: string;
  readonly rule: string;
}

export const CONNECTION_TRANSITIONS: readonly Transition<ConnectionPhase>[] = [
  { from: "[*]", to: "connecting", on: "boot: INITIATE_CONTACT for the newest candidate", rule: "GUEST-VERSION-1" },
  { from: "connecting", to: "connecting", on: "version_supported = 0, or the post failed: next candidate", rule: "GUEST-VERSION-2" },
  { from: "connecting", to: "connected", on: "version_supported ≠ 0: adopt msg_conn_id, REQUESTOFFERS", rule: "GUEST-VERSION-4" },
  { from: "connecting", to: "failed", on: "every candidate refused", rule: "GUEST-VERSION-5" },
  { from: "connected", to: "disconnecting", on: "unload (≥ 3.0): UNLOAD", rule: "GUEST-UNLOAD-1" },
  { from: "connected", to: "unloaded", on: "unload below 3.0: nothing sent", rule: "GUEST-UNLOAD-1" },
  { from: "disconnecting", to: "unloaded", on: "UNLOAD_RESPONSE (also awaited after a failed UNLOAD post)", rule: "GUEST-UNLOAD-2" },
];

export type ChannelPhaseName = ChannelPhase["name"];

export const CHANNEL_TRANSITIONS: readonly Transition<ChannelPhaseName>[] = [
  { from: "[*]", to: "offered", on: "OFFERCHANNEL", rule: "GUEST-OFFER-1" },
  { from: "offered", to: "creatingRing", on: "open: GPADL_HEADER + GPADL_BODY…", rule: "GUEST-GPADL-2" },
  { from: "creatingRing", to: "opening", on: "GPADL_CREATED status 0: OPENCHANNEL", rule: "GUEST-OPEN-1" },
  { from: "creatingRing", to: "offered", on: "GPADL_CREATED status ≠ 0, or a post failed", rule: "GUEST-GPADL-3" },
  { from: "opening", to: "opened", on: "OPENCHANNEL_RESULT status 0", rule: "GUEST-OPEN-1" },
  { from: "opening", to: "closing", on: "OPENCHANNEL_RESULT status ≠ 0, or the post failed: GPADL_TEARDOWN", rule: "GUEST-OPEN-2" },
  { from: "opened", to: "closing", on: "close: CLOSECHANNEL, GPADL_TEARDOWN", rule: "GUEST-CLOSE-1" },
  { from: "closing", to: "offered", on: "GPADL_TORNDOWN (or a post failed: GPADL leaked)", rule: "GUEST-GPADL-4" },
  { from: "opened", to: "closingSubChannels", on: "close of a primary with open sub-channels: each sub-channel closed in turn", rule: "GUEST-CLOSE-2" },
  { from: "closingSubChannels", to: "closing", on: "last sub-channel closed: CLOSECHANNEL, GPADL_TEARDOWN", rule: "GUEST-CLOSE-2" },
  { from: "opened", to: "rescindedOpen", on: "RESCIND of an open sub-channel: nothing posted yet", rule: "GUEST-RESCIND-3" },
  { from: "rescindedOpen", to: "[*]", on: "its primary closes: CLOSECHANNEL, RELID_RELEASED", rule: "GUEST-RESCIND-3" },
  { from: "opened", to: "closingSubChannels", on: "RESCIND of a primary with open sub-channels: they are closed first", rule: "GUEST-RESCIND-2" },
  { from: "closingSubChannels", to: "[*]", on: "rescinded primary, last sub-channel closed: CLOSECHANNEL, RELID_RELEASED", rule: "GUEST-RESCIND-2" },
  { from: "offered", to: "[*]", on: "RESCIND: RELID_RELEASED", rule: "GUEST-RESCIND-2" },
  { from: "creatingRing", to: "[*]", on: "RESCIND: wake, RELID_RELEASED", rule: "GUEST-RESCIND-2" },
  { from: "opening", to: "[*]", on: "RESCIND: wake, RELID_RELEASED", rule: "GUEST-RESCIND-2" },
  { from: "opened", to: "[*]", on: "RESCIND: CLOSECHANNEL, RELID_RELEASED", rule: "GUEST-RESCIND-2" },
  { from: "closing", to: "[*]", on: "RESCIND: wake, RELID_RELEASED", rule: "GUEST-RESCIND-2" },
  { from: "opened", to: "[*]", on: "UNLOAD_RESPONSE: everything forgotten", rule: "GUEST-UNLOAD-1" },
  { from: "offered", to: "[*]", on: "UNLOAD_RESPONSE", rule: "GUEST-UNLOAD-1" },
];
