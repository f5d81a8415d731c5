/** Builders of hand-made guest state parts (spec/guest/state.ts) for tests that start from a chosen state. */
import type { GuestConfig } from "../../spec/guest/config.js";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { ChannelPhase, GuestChannel, GuestGpadl, GuestState } from "../../spec/guest/state.js";
import { Version } from "../../spec/wire/versions.js";

/** A channel the guest knows: relid, phase, sub-channel index and instance (default: one per relid). */
export const guestChannel = (relid: number, phase: ChannelPhase, sub = 0, instance = `00000000-0000-0000-0000-00000000000${relid}`): GuestChannel => ({
  relid,
  interfaceType: "00000000-0000-0000-0000-000000000001",
  interfaceInstance: instance,
  subChannelIndex: sub,
  signalConnectionId: 0x2000 + relid,
  targetVp: 0,
  phase,
});

export const guestGpadl = (handle: number, relid: number, purpose: GuestGpadl["purpose"], state: GuestGpadl["state"]): GuestGpadl => ({ handle, relid, purpose, pages: 1, state });

/** A guest connected at 5.0 on connection 4 with every offer delivered and nothing queued; `o` overrides. */
export const connectedGuest = (config: GuestConfig, o: Partial<GuestState> = {}): GuestState => ({
  ...initialGuestState(config),
  phase: "connected",
  version: Version.WIN10_V5,
  messageConnectionId: 4,
  allOffersDelivered: true,
  outbox: [],
  ...o,
});
