/** OpenVMM's OFFERCHANNEL (channels.rs:3975 send_offer at 1488a37b): always the 196-byte form (HOST-OPENVMM-OFFER-2). */
import { FeatureFlag, Limits } from "../../wire/constants.js";
import type { MessageOf } from "../../wire/messages.js";
import type { Ctx } from "../common.js";
import { channelConnectionId } from "../hypercall.js";
import { ov } from "./send.js";
import type { OvmmChannel } from "./state.js";

const ZERO_GUID = "00000000-0000-0000-0000-000000000000";

export const offerMessage = (c: Ctx, ch: OvmmChannel): MessageOf<"OfferChannel"> => {
  const dev = c.s.devices[ch.device];
  const features = ov(c).connection?.featureFlags ?? 0;
  let flags = dev?.channelFlags ?? 0;
  if ((features & FeatureFlag.CONFIDENTIAL_CHANNELS) === 0) flags &= ~0x0006;
  if ((features & FeatureFlag.GPA_PINNING) === 0) flags &= ~0x0008;
  return {
    type: "OfferChannel",
    form: "win7",
    interfaceType: dev?.interfaceType ?? ZERO_GUID,
    interfaceInstance: dev?.interfaceInstance ?? ZERO_GUID,
    reserved1: "0",
    reserved2: "0",
    channelFlags: flags,
    mmioMegabytes: dev?.mmioMegabytes ?? 0,
    userDefined: "00".repeat(Limits.USER_DEFINED_BYTES),
    subChannelIndex: ch.subChannelIndex,
    mmioMegabytesOptional: 0,
    childRelid: ch.channelId,
    monitorId: 0xff,
    monitorFlags: 0,
    interruptFlags: 1,
    connectionId: channelConnectionId(c, ch.channelId),
  };
};
