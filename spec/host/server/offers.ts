/** Offers, rescinds and relid release in the queue model (HOST-OFFER-*, HOST-RESCIND-*; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs). */
import { FeatureFlag, Limits } from "../../wire/constants.js";
import type { MessageOf } from "../../wire/messages.js";
import { Version } from "../../wire/versions.js";
import { closeChannelResources, type Ctx, findChannel, reject, setChannel } from "../common.js";
import { channelConnectionId } from "../hypercall.js";
import type { ChannelState } from "../state.js";
import { releaseDeferredTeardowns } from "./gpadl.js";
import { enqueue } from "./out.js";

/** HOST-OFFER-4: the queue model's offer (196/190 bytes, connection id 0x2000 | relid, dedicated, monitor id 0xFF). */
export const offerOf = (c: Ctx, ch: ChannelState): MessageOf<"OfferChannel"> => {
  const dev = c.s.devices[ch.device]!; // every channel's device exists (host invariants)
  let flags = dev.channelFlags;
  // OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs send_offer: confidential bits only with confidential_channels, pinning with gpa_pinning.
  if ((c.s.features & FeatureFlag.CONFIDENTIAL_CHANNELS) === 0) flags &= ~0x0006;
  if ((c.s.features & FeatureFlag.GPA_PINNING) === 0) flags &= ~0x0008;
  const common = {
    type: "OfferChannel" as const,
    interfaceType: dev.interfaceType,
    interfaceInstance: dev.interfaceInstance,
    reserved1: "0",
    reserved2: "0",
    channelFlags: flags,
    mmioMegabytes: dev.mmioMegabytes,
    userDefined: "00".repeat(Limits.USER_DEFINED_BYTES),
    subChannelIndex: ch.subChannelIndex,
    mmioMegabytesOptional: 0,
    childRelid: ch.relid,
    monitorId: 0xff,
    monitorFlags: 0,
  };
  return c.s.version < Version.WIN7
    ? { ...common, form: "preWin7" }
    : { ...common, form: "win7", interruptFlags: 1, connectionId: channelConnectionId(c, ch.relid) };
};

export const offerChannels = (c: Ctx, relids: readonly number[]): void => {
  for (const relid of relids) {
    // Every relid names a live channel: REQUESTOFFERS is processed once per connection, before
    // any offer could be rescinded (a bus reset drops rescinded channels), and a new device's
    // channels are live.
    const ch = findChannel(c.s, relid)!;
    enqueue(c, offerOf(c, ch));
    setChannel(c, relid, { offerState: "sent" });
  }
};

/** HOST-OFFER-7: called by the device-added input. */

export const serverDeviceAdded = (c: Ctx, relids: readonly number[]): void => {
  if (c.s.connected && c.s.offersRequested) offerChannels(c, relids);
};

/** HOST-RESCIND-1. */

export const serverRescind = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || ch.rescinded) return void reject(c, "HOST-DEV-1", `no live channel ${relid} to rescind`);
  closeChannelResources(c, relid);
  setChannel(c, relid, { state: "init", modifyPending: false });
  releaseDeferredTeardowns(c);
  if (ch.offerState === "sent" && c.s.connected) {
    enqueue(c, { type: "RescindChannelOffer", childRelid: relid });
    setChannel(c, relid, { rescinded: true });
  } else c.s = { ...c.s, channels: c.s.channels.filter((x) => x.relid !== relid) };
};

export const requestOffers = (c: Ctx): void => {
  if (c.s.offersRequested) {
    if (c.p.secondRequestOffers === "drop") return void reject(c, "HOST-OFFER-5", "REQUESTOFFERS again: OffersAlreadySent");
    reject(c, "HOST-OFFER-5", "REQUESTOFFERS again: nothing left to offer");
    c.s = { ...c.s, allOffersSent: false };
    enqueue(c, { type: "AllOffersDelivered" });
    return;
  }
  c.s = { ...c.s, offersRequested: true, allOffersSent: false };
  offerChannels(c, c.s.channels.map((ch) => ch.relid));
  enqueue(c, { type: "AllOffersDelivered" });
};

export const liveOffered = (c: Ctx, relid: number): ChannelState | undefined => {
  const ch = findChannel(c.s, relid);
  return ch && !ch.rescinded && ch.offerState === "sent" ? ch : undefined;
};

export const relIdReleased = (c: Ctx, relid: number): void => {
  const ch = findChannel(c.s, relid);
  if (!ch || !ch.rescinded) return void reject(c, "HOST-RESCIND-2", `RELID_RELEASED for ${ch ? "unrescinded" : "unknown"} relid ${relid}`);
  c.s = { ...c.s, channels: c.s.channels.filter((x) => x.relid !== relid) };
};
