/** OpenVMM's channel messages (channels.rs:3032-3545 at 1488a37b); the device answers within the step. */
import { FeatureFlag, NtStatus, VMBUS_SINT } from "../../wire/constants.js";
import { channelConnectionId } from "../hypercall.js";
import { Version } from "../../wire/versions.js";
import { type Ctx, emit, NO_VP, reject, vpExists } from "../common.js";
import { u32At } from "../raw.js";
import { disconnectReleased } from "./release.js";
import { byChannelId, isReserved, isRevoked, releaseTeardowns } from "./gpadl.js";
import { ov, send, sendTo, setOv } from "./send.js";
import type { OvmmChannel, OvmmOpenRequest, OvmmReserved } from "./state.js";

const UNSUCCESSFUL = NtStatus.UNSUCCESSFUL;
const setChannel = (c: Ctx, offerId: number, patch: Partial<OvmmChannel>): void =>
  setOv(c, { channels: ov(c).channels.map((x) => (x.offerId === offerId ? { ...x, ...patch } : x)) });

/** The device's open (vmbus_server lib.rs + the ring): ring GPADL Accepted, one page-aligned range, each ring ≥ minRingPages. */
const deviceOpen = (c: Ctx, ch: OvmmChannel, req: OvmmOpenRequest): string | undefined => {
  const g = ov(c).gpadls.find((x) => x.id === req.ringGpadl && x.offerId === ch.offerId);
  if (!g || g.state !== "Accepted") return `ring GPADL ${req.ringGpadl} ${g ? `is ${g.state}` : "does not exist on this channel"}`;
  const hdr = g.buf[0] !== undefined ? BigInt(g.buf[0]) : 0n;
  // Not one page-aligned range: -1 pages, which no split below accepts (offset ≥ 0, minRingPages ≥ 0).
  const pages = g.count === 1 && hdr >> 32n === 0n && (hdr & 0xfffn) === 0n ? Number(hdr & 0xffffffffn) / 4096 : -1;
  const m = c.p.minRingPages;
  if (req.downstreamOffset < m || pages - req.downstreamOffset < m) return `ring split at page ${req.downstreamOffset} of ${pages}`;
  if (req.targetVp !== null && !vpExists(c, req.targetVp)) return `target VP ${req.targetVp} does not exist`;
  const dev = c.s.devices[ch.device];
  if (dev?.openResult === "fail") return `device ${dev.name} failed to open`;
  return undefined;
};

/** open_channel + open_complete (channels.rs:3003, :1925). */
const openChannel = (c: Ctx, ch: OvmmChannel, req: OvmmOpenRequest, reserved: OvmmReserved | null): void => {
  const why = deviceOpen(c, ch, req);
  const result = { type: "OpenChannelResult" as const, childRelid: ch.channelId, openId: req.openId, status: why === undefined ? 0 : c.p.openFailureStatus };
  if (reserved) sendTo(c, result, reserved.vp, reserved.sint);
  else send(c, result);
  if (why !== undefined) return void reject(c, "HOST-OPEN-4", why); // the channel stays Closed
  setChannel(c, ch.offerId, { state: "Open", params: req, reserved });
  emit(c, { kind: "deviceNotify", relid: ch.channelId, reason: "opened" });
};

export const handleOpenChannel = (c: Ctx, b: Uint8Array): void => {
  const ch = byChannelId(c, u32At(b, 8));
  if (!ch) return void reject(c, "HOST-OPENVMM-OPEN-1", `OPENCHANNEL for unknown channel id ${u32At(b, 8)} (UnknownChannelId)`);
  const tvp = u32At(b, 20);
  const guestSpecified = ((ov(c).connection?.featureFlags ?? 0) & FeatureFlag.GUEST_SPECIFIED_SIGNAL_PARAMETERS) !== 0;
  const connectionId = guestSpecified ? u32At(b, 148) : channelConnectionId(c, ch.channelId);
  const req: OvmmOpenRequest = { openId: u32At(b, 12), ringGpadl: u32At(b, 16), targetVp: tvp === NO_VP ? null : tvp, downstreamOffset: u32At(b, 24), connectionId };
  if (ch.state === "Closed") return openChannel(c, ch, req, null);
  if (isRevoked(ch)) return void reject(c, "HOST-OPENVMM-OPEN-1", `OPENCHANNEL on ${ch.state} channel ${ch.channelId}: ignored`);
  reject(c, "HOST-OPENVMM-OPEN-1", `OPENCHANNEL on ${ch.state} channel ${ch.channelId} (ChannelAlreadyOpen)`);
};

/** The device closes at once (close_complete, channels.rs:2062). */
const closeNow = (c: Ctx, ch: OvmmChannel): void => {
  setChannel(c, ch.offerId, { state: "Closed", params: null, reserved: null });
  emit(c, { kind: "deviceNotify", relid: ch.channelId, reason: "closed" });
  releaseTeardowns(c);
};

export const handleCloseChannel = (c: Ctx, b: Uint8Array): void => {
  const ch = byChannelId(c, u32At(b, 8));
  if (!ch) return void reject(c, "HOST-OPENVMM-CLOSE-1", `CLOSECHANNEL for unknown channel id ${u32At(b, 8)} (UnknownChannelId)`);
  if (ch.state === "Open" && ch.reserved) return void reject(c, "HOST-OPENVMM-CLOSE-1", `CLOSECHANNEL on reserved channel ${ch.channelId} (ChannelReserved)`);
  if (ch.state === "Open") return closeNow(c, ch);
  if (isRevoked(ch)) return void reject(c, "HOST-OPENVMM-CLOSE-1", `CLOSECHANNEL on ${ch.state} channel: ignored`);
  reject(c, "HOST-OPENVMM-CLOSE-1", `CLOSECHANNEL on ${ch.state} channel ${ch.channelId} (ChannelNotOpen)`);
};

export const handleOpenReserved = (c: Ctx, b: Uint8Array): void => {
  const ch = byChannelId(c, u32At(b, 8));
  if (!ch) return void reject(c, "HOST-OPENVMM-RESERVED-1", `OPEN_RESERVED_CHANNEL for unknown channel id ${u32At(b, 8)} (UnknownChannelId)`);
  const reserved = { vp: u32At(b, 12), sint: u32At(b, 16) & 0xff };
  const req: OvmmOpenRequest = { openId: 0, ringGpadl: u32At(b, 20), targetVp: null, downstreamOffset: u32At(b, 24), connectionId: channelConnectionId(c, ch.channelId) };
  if (ch.state === "Closed") return openChannel(c, ch, req, reserved);
  if (isRevoked(ch)) return void reject(c, "HOST-OPENVMM-RESERVED-1", `OPEN_RESERVED_CHANNEL on ${ch.state} channel: ignored`);
  reject(c, "HOST-OPENVMM-RESERVED-1", `OPEN_RESERVED_CHANNEL on ${ch.state} channel ${ch.channelId} (ChannelAlreadyOpen)`);
};

export const handleCloseReserved = (c: Ctx, b: Uint8Array): void => {
  const ch = byChannelId(c, u32At(b, 8));
  if (!ch) return void reject(c, "HOST-OPENVMM-RESERVED-2", `CLOSE_RESERVED_CHANNEL for unknown channel id ${u32At(b, 8)} (UnknownChannelId): not answered`);
  if (ch.state === "Open" && ch.reserved) {
    const target = { vp: u32At(b, 12), sint: u32At(b, 16) & 0xff };
    const id = ch.channelId;
    closeNow(c, ch);
    sendTo(c, { type: "CloseReservedResponse", channelId: id }, target.vp, target.sint);
    // close_complete: while not connected the channel is released at once (channels.rs:2086).
    if (!ov(c).connection) disconnectReleased(c, ch.offerId);
    return;
  }
  if (isRevoked(ch)) return void reject(c, "HOST-OPENVMM-RESERVED-2", `CLOSE_RESERVED_CHANNEL on ${ch.state} channel: ignored`);
  reject(c, "HOST-OPENVMM-RESERVED-2", `CLOSE_RESERVED_CHANNEL on ${ch.state}${ch.state === "Open" ? " non-reserved" : ""} channel ${ch.channelId} (${ch.state === "Open" ? "ChannelNotReserved" : "ChannelNotOpen"}): not answered`);
};

export const handleRelIdReleased = (c: Ctx, b: Uint8Array): void => {
  const ch = byChannelId(c, u32At(b, 8));
  if (!ch) return void reject(c, "HOST-OPENVMM-RELID-1", `RELID_RELEASED for unknown channel id ${u32At(b, 8)} (UnknownChannelId)`);
  if (ch.state === "Closed" || ch.state === "Revoked") return disconnectReleased(c, ch.offerId);
  reject(c, "HOST-OPENVMM-RELID-1", `RELID_RELEASED for ${ch.state} channel ${ch.channelId} (InvalidChannelState)`);
};

const modifyResponse = (c: Ctx, channelId: number, status: number): void => {
  if ((ov(c).connection?.version ?? 0) >= Version.WIN10_V5_3) send(c, { type: "ModifyChannelResponse", childRelid: channelId, status });
};

/** handle_modify_channel / modify_channel (channels.rs:3432-3480) and modify_channel_complete (:3482). */
export const handleModifyChannel = (c: Ctx, channelId: number, targetVp: number): void => {
  const fail = (why: string): void => {
    reject(c, "HOST-OPENVMM-MODIFY-1", why);
    modifyResponse(c, channelId, UNSUCCESSFUL);
  };
  if (targetVp === NO_VP) return fail("target VP 0xFFFFFFFF (InvalidTargetVp)");
  const ch = byChannelId(c, channelId);
  if (!ch) return fail(`unknown channel id ${channelId} (UnknownChannelId)`);
  if (!ch.params || ch.reserved) return fail(`channel ${channelId} is ${ch.reserved ? "reserved" : ch.state} (InvalidChannelState)`);
  if (ch.params.targetVp === null) return fail(`channel ${channelId} was opened with target VP 0xFFFFFFFF (InterruptsDisabled)`);
  // A pending modify (HOST-OPENVMM-MODIFY-2) is never seen: the device answers within the step.
  // The device retargets its event port at once (lib.rs:1637): a VP that does not exist fails.
  setChannel(c, ch.offerId, { params: { ...ch.params, targetVp } });
  if (!vpExists(c, targetVp)) reject(c, "HOST-OPENVMM-MODIFY-3", `target VP ${targetVp} does not exist: the device fails the modify`);
  modifyResponse(c, channelId, vpExists(c, targetVp) ? 0 : UNSUCCESSFUL);
};

export { VMBUS_SINT, isReserved };
