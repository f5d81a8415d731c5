/** Releasing one channel by the guest (client_release_channel, OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:3238-3345 at 1488a37b) while connected or not. */
import { type Ctx, emit } from "../common.js";
import { offerMessage } from "./offer.js";
import { ov, send, setOv } from "./send.js";

export const disconnectReleased = (c: Ctx, offerId: number): void => {
  const ch = ov(c).channels.find((x) => x.offerId === offerId);
  if (!ch) return;
  const o = ov(c);
  // GPADLs: InProgress dropped, Accepted torn down without GPADL_TORNDOWN (HOST-OPENVMM-GPADL-6).
  setOv(c, { gpadls: o.gpadls.filter((g) => g.offerId !== offerId), incomplete: o.incomplete.filter((x) => x.offerId !== offerId) });
  if (ch.state === "Closing") emit(c, { kind: "deviceNotify", relid: ch.channelId, reason: "closed" });
  const conn = ov(c).connection;
  if (ch.state === "Revoked") return setOv(c, { channels: ov(c).channels.filter((x) => x.offerId !== offerId) });
  if (ch.state === "Reoffered" && conn) {
    // Reoffered while connected: offered again under the same channel id (channels.rs:3310).
    setOv(c, { channels: ov(c).channels.map((x) => (x.offerId === offerId ? { ...x, state: "Closed" as const } : x)) });
    const again = ov(c).channels.find((x) => x.offerId === offerId);
    if (again) send(c, offerMessage(c, again));
    return;
  }
  setOv(c, { channels: ov(c).channels.map((x) => (x.offerId === offerId ? { ...x, state: "ClientReleased" as const, channelId: 0, params: null, reserved: null, modifying: null } : x)) });
};
