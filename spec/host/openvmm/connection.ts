/**
 * OpenVMM's connection handling (channels.rs:2150-2760 at 1488a37b): INITIATE_CONTACT, the
 * disconnect that precedes it, UNLOAD and REQUESTOFFERS. The device-side and notifier steps
 * (modify_connection, close, GPADL teardown) complete within the step (see doc.ts).
 */
import { ConnectionState as CS, FeatureFlag, VMBUS_SINT } from "../../wire/constants.js";
import { Version } from "../../wire/versions.js";
import { type Ctx, defect, emit, reject } from "../common.js";
import { u32At, u64At, u8At } from "../raw.js";
import { ALL_VERSIONS } from "../../wire/versions.js";
import type { OvmmChannel, OvmmGpadl } from "./state.js";
import { ov, send, sendTo, setOv } from "./send.js";
import { offerMessage } from "./offer.js";

/** SUPPORTED_FEATURE_FLAGS (channels.rs:1336) for an untrusted connection without a relay. */
export const OPENVMM_FEATURES = FeatureFlag.GUEST_SPECIFIED_SIGNAL_PARAMETERS | FeatureFlag.CHANNEL_INTERRUPT_REDIRECTION | FeatureFlag.MODIFY_CONNECTION | FeatureFlag.CLIENT_ID | FeatureFlag.PAUSE_RESUME;
/** The child message connection id of a VTL0 server without redirection (lib.rs:292). */
const CHILD_CONNECTION_ID = 1;

const zeroResponse = { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 } as const;

/** send_version_response(Some(data)) (channels.rs:2511). */
const versionResponse = (c: Ctx, version: number, features: number, state: number): void => {
  if (state !== CS.SUCCESSFUL && version < Version.WIN8) return send(c, zeroResponse);
  const msgConnId = version >= Version.WIN10_V5 ? CHILD_CONNECTION_ID : version;
  if (version >= Version.WIN10_V6_0) send(c, { type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: state, msgConnId, supportedFeatures: features });
  else send(c, { type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: state, msgConnId });
};

/** client_release_channel (channels.rs:3238) with the device completing at once. */
const releaseChannel = (c: Ctx, ch: OvmmChannel): OvmmChannel | null => {
  const o = ov(c);
  const mine = (g: OvmmGpadl): boolean => g.offerId === ch.offerId;
  setOv(c, { gpadls: o.gpadls.filter((g) => !mine(g)), incomplete: o.incomplete.filter((x) => x.offerId !== ch.offerId) });
  if (ch.state === "Open") emit(c, { kind: "deviceNotify", relid: ch.channelId, reason: "closed" });
  if (ch.state === "Revoked") return null;
  return { ...ch, state: "ClientReleased", channelId: 0, params: null, reserved: null };
};

/** request_disconnect (channels.rs:2577): every non-reserved channel released; pending messages kept. */
export const disconnect = (c: Ctx): void => {
  const kept: OvmmChannel[] = [];
  for (const ch of ov(c).channels) {
    if (ch.reserved) kept.push(ch);
    else {
      const r = releaseChannel(c, ch);
      if (r) kept.push(r);
    }
  }
  setOv(c, { channels: kept, connection: null });
};

export const handleInitiateContact = (c: Ctx, b: Uint8Array, withClientId: boolean, multiclient: boolean): void => {
  const version = u32At(b, 8);
  const sint = multiclient && version >= Version.WIN10_V5 ? u8At(b, 16) : VMBUS_SINT;
  const vtl = multiclient && version >= Version.WIN10_V5_1 ? u8At(b, 17) : 0;
  const requested = version >= Version.WIN10_V6_0 ? u32At(b, 20) : 0;
  const targetVp = version >= Version.WIN8_1 ? u32At(b, 12) : 0;
  const info = u64At(b, 16);
  const mp1 = u64At(b, 24);
  const mp2 = u64At(b, 32);
  if ((requested & FeatureFlag.CLIENT_ID) !== 0 && !withClientId) return void reject(c, "HOST-OPENVMM-PARSE-4", "client_id feature without the client id: MessageTooSmall");
  if (vtl !== 0) return void reject(c, "HOST-OPENVMM-CONNECT-2", `target VTL ${vtl} is not this server's (0): forwarded, not answered`);
  if (sint !== VMBUS_SINT) {
    reject(c, "HOST-OPENVMM-CONNECT-3", `unsupported multiclient request: SINT ${sint}`);
    return sendTo(c, zeroResponse, targetVp, sint);
  }
  disconnect(c);
  if (!ALL_VERSIONS.includes(version) || version > c.p.maxVersion) {
    reject(c, "HOST-OPENVMM-CONNECT-4", `version 0x${version.toString(16)} not supported`);
    return send(c, zeroResponse);
  }
  const features = version >= Version.WIN10_V6_0 ? (requested & c.p.supportedFeatures) >>> 0 : 0;
  if ((mp1 === 0n) !== (mp2 === 0n)) {
    reject(c, "HOST-OPENVMM-CONNECT-4", "exactly one monitor page given");
    return versionResponse(c, version, features, CS.FAILED_UNKNOWN_FAILURE);
  }
  // modify_connection retargets the message port (lib.rs), then complete_initiate_contact.
  c.s = { ...c.s, targetVp };
  setOv(c, {
    connection: { version, featureFlags: features, targetMessageVp: targetVp, offersSent: false, paused: false, interruptPage: version < Version.WIN8 && info !== 0n ? String(info) : "0" },
  });
  versionResponse(c, version, features, CS.SUCCESSFUL);
};

export const handleUnload = (c: Ctx): void => {
  disconnect(c);
  send(c, { type: "UnloadResponse" });
};

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** handle_request_offers (channels.rs:2700). */
export const handleRequestOffers = (c: Ctx): void => {
  const conn = ov(c).connection;
  if (!conn) return;
  if (conn.offersSent) return void reject(c, "HOST-OPENVMM-OFFER-3", "REQUESTOFFERS again: OffersAlreadySent");
  setOv(c, { connection: { ...conn, offersSent: true } });
  const dev = (ch: OvmmChannel) => c.s.devices[ch.device];
  const sorted = ov(c).channels
    .filter((ch) => !ch.reserved)
    .sort((x, y) => cmp(dev(x)?.interfaceType ?? "", dev(y)?.interfaceType ?? "") || cmp(dev(x)?.interfaceInstance ?? "", dev(y)?.interfaceInstance ?? "") || x.subChannelIndex - y.subChannelIndex);
  for (const ch of sorted) {
    if (ch.state !== "ClientReleased") {
      defect(c, "HOST-OPENVMM-DEFECT-2", `channel ${ch.channelId} is ${ch.state} at REQUESTOFFERS: assert!(matches!(channel.state, ChannelState::ClientReleased)) panics (channels.rs:2742)`);
      return setOv(c, { crashed: "HOST-OPENVMM-DEFECT-2" });
    }
    offerChannel(c, ch.offerId);
  }
  send(c, { type: "AllOffersDelivered" });
};

/** prepare_channel + send_offer: first free channel id, Closed, OFFERCHANNEL. */
export const offerChannel = (c: Ctx, offerId: number): void => {
  const used = new Set(ov(c).channels.map((x) => x.channelId));
  let id = 1;
  while (used.has(id)) id++;
  setOv(c, { channels: ov(c).channels.map((x) => (x.offerId === offerId ? { ...x, channelId: id, state: "Closed" as const } : x)) });
  const ch = ov(c).channels.find((x) => x.offerId === offerId);
  if (ch) send(c, offerMessage(c, ch));
};
