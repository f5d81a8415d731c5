/** Releasing one channel by the guest (client_release_channel, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:3238-3345 at 1488a37b) while connected or not. */
import type { Ctx } from "../common.js";
import { ov, setOv } from "./send.js";

/**
 * Called for a Closed or Revoked channel (RELID_RELEASED, or CLOSE_RESERVED_CHANNEL while
 * disconnected): the device has already closed it, and Reoffered is never reached (state.ts).
 */
export const disconnectReleased = (c: Ctx, offerId: number): void => {
  const o = ov(c);
  const revoked = o.channels.some((x) => x.offerId === offerId && x.state === "Revoked");
  // GPADLs: InProgress dropped, Accepted torn down without GPADL_TORNDOWN (HOST-OPENVMM-GPADL-6).
  setOv(c, { gpadls: o.gpadls.filter((g) => g.offerId !== offerId), incomplete: o.incomplete.filter((x) => x.offerId !== offerId) });
  if (revoked) return setOv(c, { channels: ov(c).channels.filter((x) => x.offerId !== offerId) });
  setOv(c, { channels: ov(c).channels.map((x) => (x.offerId === offerId ? { ...x, state: "ClientReleased" as const, channelId: 0, params: null, reserved: null } : x)) });
};
