/** Decoding and dispatching one incoming message in the queue model (HOST-MSG-*). */
import { match } from "ts-pattern";
import { decodeMessage, type WireError } from "../../wire/codec.js";
import { ConnectionState, Limits, NtStatus } from "../../wire/constants.js";
import * as L from "../../wire/layouts/index.js";
import type { Message } from "../../wire/messages.js";
import { MessageType } from "../../wire/messages.js";
import { Version } from "../../wire/versions.js";
import { type Ctx, reject, vpExists } from "../common.js";
import { fieldAt, payloadArea, u32At } from "../raw.js";
import type { HostRuleId } from "../rules.js";
import { closeChannel, modifyChannel, openChannel } from "./channel.js";
import { initiateContact, unload } from "./connect.js";
import { gpadlBody, gpadlFailed, gpadlHeader, gpadlTeardown } from "./gpadl.js";
import { relIdReleased, requestOffers } from "./offers.js";
import { enqueue } from "./out.js";

export const wireRule = (e: WireError): HostRuleId =>
  match(e.kind)
    .with("tooShort", () => "HOST-MSG-1" as const)
    .with("typeNotInVersion", () => "HOST-MSG-4" as const)
    .with("unknownType", "wrongDirection", () => "HOST-MSG-3" as const)
    .with("tooLong", "countMismatch", "badField", () => "HOST-MSG-5" as const)
    .exhaustive();

export const processOne = (c: Ctx): void => {
  const head = c.s.rxQueue[0];
  if (!head) return;
  c.s = { ...c.s, rxQueue: c.s.rxQueue.slice(1) };
  const area = payloadArea(head.payload);
  const bytes = (area.ok ? area.value : new Uint8Array(Limits.MESSAGE_PAYLOAD)).subarray(0, head.payloadSize);
  const type = u32At(bytes, 0);
  if (!c.s.connected && type !== MessageType.InitiateContact && type !== MessageType.CloseReservedChannel)
    return void reject(c, type === MessageType.Unload ? "HOST-UNLOAD-2" : "HOST-MSG-2", `message type ${type} while disconnected`);
  const decoded = decodeMessage(bytes, c.s.connected ? { version: c.s.version, direction: "guest-to-host", features: c.s.features } : { direction: "guest-to-host" });
  if (!decoded.ok) {
    // A GPADL_HEADER the guest waits on gets a failed GPADL_CREATED (no deadlock).
    if (type === MessageType.GpadlHeader && bytes.length >= L.GpadlHeader.size && decoded.error.kind === "countMismatch")
      return gpadlFailed(c, fieldAt(bytes, L.GpadlHeader, "childRelid"), fieldAt(bytes, L.GpadlHeader, "gpadl"), "HOST-GPADL-9", decoded.error.message);
    return void reject(c, wireRule(decoded.error), decoded.error.message);
  }
  handle(c, decoded.value.message as GuestToHostMessage, head.connectionId); // decoded as guest-to-host (see GuestToHostMessage)
};

/**
 * The messages a guest sends. A host-to-guest type never gets here: decodeMessage with direction
 * "guest-to-host" refuses it (wrongDirection, HOST-MSG-3 by wireRule), so `handle` has no branch
 * for one.
 */
type GuestToHostMessage = Exclude<
  Message,
  {
    readonly type:
      | "OfferChannel" | "RescindChannelOffer" | "AllOffersDelivered" | "OpenChannelResult" | "GpadlCreated" | "GpadlTorndown"
      | "VersionResponse" | "UnloadResponse" | "CloseReservedResponse" | "TlConnectResult" | "ModifyChannelResponse"
      | "ModifyConnectionResponse" | "PauseResponse";
  }
>;

export const handle = (c: Ctx, m: GuestToHostMessage, connectionId: number): void =>
  match(m)
    .with({ type: "InitiateContact" }, (x) => initiateContact(c, x, connectionId))
    .with({ type: "RequestOffers" }, () => requestOffers(c))
    .with({ type: "GpadlHeader" }, (x) => gpadlHeader(c, x))
    .with({ type: "GpadlBody" }, (x) => gpadlBody(c, x))
    .with({ type: "GpadlTeardown" }, (x) => gpadlTeardown(c, x))
    .with({ type: "OpenChannel" }, (x) => openChannel(c, x))
    .with({ type: "CloseChannel" }, (x) => closeChannel(c, x.childRelid))
    .with({ type: "RelIdReleased" }, (x) => relIdReleased(c, x.childRelid))
    .with({ type: "Unload" }, () => unload(c))
    .with({ type: "ModifyChannel" }, (x) => modifyChannel(c, x))
    .with({ type: "TlConnectRequest" }, (x) => {
      if (c.s.version < Version.WIN10_V4_1) return void reject(c, "HOST-TL-1", "no hv_sock service; no TL_CONNECT_RESULT before 4.1");
      reject(c, "HOST-TL-1", `no service ${x.hostServiceId}: connection refused`);
      enqueue(c, { type: "TlConnectResult", endpointId: x.guestEndpointId, serviceId: x.hostServiceId, status: NtStatus.CONNECTION_REFUSED });
    })
    .with({ type: "OpenReservedChannel" }, (x) => reject(c, "HOST-RESERVED-1", `no reserved channel ${x.channelId}`))
    .with({ type: "CloseReservedChannel" }, (x) => {
      // Parsed even while disconnected (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs); CLOSE_RESERVED_RESPONSE exists from 4.0.
      if (c.s.connected && c.s.version < Version.WIN10) return void reject(c, "HOST-MSG-4", "CLOSE_RESERVED_CHANNEL needs version 4.0");
      if (!vpExists(c, x.targetVp)) return void reject(c, "HOST-RESERVED-1", `CLOSE_RESERVED_CHANNEL names VP ${x.targetVp}, which does not exist`);
      enqueue(c, { type: "CloseReservedResponse", channelId: x.channelId }, x.targetVp, x.targetSint);
    })
    .with({ type: "ModifyConnection" }, (x) => {
      // HOST-MODCONN-1
      c.s = { ...c.s, monitorPage1: x.parentToChildMonitorPageGpa, monitorPage2: x.childToParentMonitorPageGpa };
      enqueue(c, { type: "ModifyConnectionResponse", connectionState: ConnectionState.SUCCESSFUL });
    })
    .with({ type: "Pause" }, () => {
      // HOST-PAUSE-1: answered, then nothing is posted until RESUME (server/out.ts).
      enqueue(c, { type: "PauseResponse" });
      c.s = { ...c.s, paused: true };
    })
    .with({ type: "Resume" }, () => {
      c.s = { ...c.s, paused: false };
    })
    .exhaustive();
