/** INITIATE_CONTACT and UNLOAD in the queue model (HOST-CONNECT-*, HOST-UNLOAD-*; OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs ). */
import { ConnectionState, VMBUS_SINT } from "../../wire/constants.js";
import type { MessageOf } from "../../wire/messages.js";
import { Version } from "../../wire/versions.js";
import { busReset, type Ctx, NO_VP, reject, vpExists } from "../common.js";
import { versionAccepted } from "../profiles.js";
import type { HostRuleId } from "../rules.js";
import { enqueue } from "./out.js";

export const initiateContact = (c: Ctx, m: MessageOf<"InitiateContact">, connectionId: number): void => {
  if (c.s.connected) busReset(c); // HOST-CONNECT-1
  const v = m.vmbusVersionRequested;
  const honoursVp = v >= Version.WIN8_1;
  const replyVp = honoursVp && vpExists(c, m.targetVcpu) ? m.targetVcpu : 0;
  const unsupported = (rule: HostRuleId, why: string, sint = VMBUS_SINT): void => {
    reject(c, rule, why);
    enqueue(c, { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }, replyVp, sint);
  };
  if (!versionAccepted(c.p, v)) return unsupported("HOST-CONNECT-3", `version 0x${v.toString(16)} not supported`);
  if (m.form !== "interruptPage") {
    // OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs: "An unsupported message is sent to the requested SINT" (only on the multiclient port).
    if (connectionId === 4 && m.msgSint !== VMBUS_SINT) return unsupported("HOST-CONNECT-7", `msg_sint ${m.msgSint} ≠ 2`, m.msgSint);
    if (v >= Version.WIN10_V5_1 && m.msgVtl !== 0) return unsupported("HOST-CONNECT-7", `msg_vtl ${m.msgVtl} ≠ 0`);
  }
  const failed = (rule: HostRuleId, why: string, vp: number): void => {
    reject(c, rule, why);
    if (v < Version.WIN8) enqueue(c, { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }, vp);
    else enqueue(c, { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: ConnectionState.FAILED_UNKNOWN_FAILURE, msgConnId: 0 }, vp);
  };
  if (honoursVp && !vpExists(c, m.targetVcpu)) return failed("HOST-CONNECT-8", `target VP ${m.targetVcpu} does not exist`, 0);
  if ((m.monitorPage1 === "0") !== (m.monitorPage2 === "0")) return failed("HOST-CONNECT-6", "exactly one monitor page given", replyVp);
  const requested = m.form === "interruptPage" ? 0 : m.featureFlags;
  // HOST-CONNECT-5: negotiated features = supported ∧ requested, empty below 6.0.
  const features = v >= Version.WIN10_V6_0 ? (requested & c.p.supportedFeatures) >>> 0 : 0;
  const msgConnId = v >= Version.WIN10_V5 ? 1 : 0;
  c.s = {
    ...c.s,
    connected: true,
    version: v,
    targetVp: replyVp,
    sintRoute: true,
    interruptPage: m.form === "interruptPage" && v < Version.WIN8 ? m.interruptPage : "0",
    monitorPage1: m.monitorPage1,
    monitorPage2: m.monitorPage2,
    features,
    msgConnId,
    offersRequested: false,
    allOffersSent: false,
  };
  // HOST-CONNECT-4 (offset 12: connection id from 5.0, selected version below), HOST-CONNECT-5 (20-byte form for 6.0).
  enqueue(
    c,
    v >= Version.WIN10_V6_0
      ? { type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId, supportedFeatures: features }
      : { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: v >= Version.WIN10_V5 ? msgConnId : v },
  );
};

export const unload = (c: Ctx): void => {
  const vp = c.s.targetVp === NO_VP ? 0 : c.s.targetVp;
  busReset(c);
  enqueue(c, { type: "UnloadResponse" }, vp);
};
