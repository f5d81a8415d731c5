/** The messages the Linux-like guest builds. */
import { ConnectionId, VMBUS_SINT } from "../wire/constants.js";
import { Version } from "../wire/versions.js";
import type { GuestConfig } from "./config.js";
import type { GuestMessage, Outgoing } from "./state.js";

const out = (connectionId: number, message: GuestMessage, lane = 0): Outgoing => ({ lane, connectionId, message, attempts: 0 });

/** INITIATE_CONTACT for `version` (GUEST-VERSION-3). */
export const initiateContact = (config: GuestConfig, version: number): Outgoing =>
  version >= Version.WIN10_V5
    ? out(ConnectionId.MESSAGE_4, {
        type: "InitiateContact",
        form: "msgSint",
        vmbusVersionRequested: version,
        targetVcpu: config.connectVp,
        msgSint: VMBUS_SINT,
        msgVtl: config.vtl,
        featureFlags: 0,
        monitorPage1: config.monitorPage1,
        monitorPage2: config.monitorPage2,
      })
    : out(ConnectionId.MESSAGE, {
        type: "InitiateContact",
        form: "interruptPage",
        vmbusVersionRequested: version,
        targetVcpu: config.connectVp,
        interruptPage: config.interruptPage,
        monitorPage1: config.monitorPage1,
        monitorPage2: config.monitorPage2,
      });

/** A message on the negotiated message connection, in `lane` (0 = bus, else the channel's relid). */
export const onConnection = (connectionId: number, message: GuestMessage, lane = 0): Outgoing => out(connectionId, message, lane);

/** 120 zero bytes of OPENCHANNEL userdata. */
export const ZERO_USERDATA = "00".repeat(120);

export const openChannel = (config: GuestConfig, relid: number, gpadl: number, sendPages: number): GuestMessage => ({
  type: "OpenChannel",
  form: "v1",
  childRelid: relid,
  openId: relid,
  ringBufferGpadlHandle: gpadl,
  targetVp: config.connectVp,
  downstreamRingBufferPageOffset: sendPages,
  userData: ZERO_USERDATA,
});
