/**
 * The message table: for each message type its number, names, direction,
 * minimum version (OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs parse table), the feature bit it needs (6.0 messages) and its wire
 * forms with their layouts. The codec, the docs and the vectors read this table.
 */
import type { Layout } from "./layout.js";
import { FeatureFlag } from "./constants.js";
import { MessageType, type MessageTypeName } from "./messages.js";
import { Version } from "./versions.js";
import * as L from "./layouts/index.js";

export type Direction = "host-to-guest" | "guest-to-host";

export interface FormInfo {
  /** The `form` value of the message object, or undefined for single-form messages. */
  readonly form: string | undefined;
  readonly layout: Layout;
}

export interface MessageInfo {
  readonly type: MessageTypeName;
  readonly number: number;
  readonly linuxName: string;
  readonly direction: Direction;
  /** Minimum negotiated version (0 = accepted before/while connecting). */
  readonly minVersion: number;
  /** Feature bit the message needs with 6.0, if any. */
  readonly feature?: number;
  readonly forms: readonly FormInfo[];
}

const H2G: Direction = "host-to-guest";
const G2H: Direction = "guest-to-host";
const one = (layout: Layout): readonly FormInfo[] => [{ form: undefined, layout }];
const info = (type: MessageTypeName, linuxName: string, direction: Direction, minVersion: number, forms: readonly FormInfo[], feature?: number): MessageInfo =>
  feature === undefined
    ? { type, number: MessageType[type], linuxName, direction, minVersion, forms }
    : { type, number: MessageType[type], linuxName, direction, minVersion, forms, feature };

const V1 = Version.WS2008;

export const MESSAGE_TABLE: readonly MessageInfo[] = [
  info("OfferChannel", "OFFERCHANNEL", H2G, V1, [
    { form: "win7", layout: L.OfferChannel },
    { form: "preWin7", layout: L.OfferChannelPreWin7 },
  ]),
  info("RescindChannelOffer", "RESCIND_CHANNELOFFER", H2G, V1, one(L.RescindChannelOffer)),
  info("RequestOffers", "REQUESTOFFERS", G2H, V1, one(L.RequestOffers)),
  info("AllOffersDelivered", "ALLOFFERS_DELIVERED", H2G, V1, one(L.AllOffersDelivered)),
  info("OpenChannel", "OPENCHANNEL", G2H, V1, [
    { form: "v1", layout: L.OpenChannel },
    { form: "openChannel2", layout: L.OpenChannel2 },
  ]),
  info("OpenChannelResult", "OPENCHANNEL_RESULT", H2G, V1, one(L.OpenChannelResult)),
  info("CloseChannel", "CLOSECHANNEL", G2H, V1, one(L.CloseChannel)),
  info("GpadlHeader", "GPADL_HEADER", G2H, V1, one(L.GpadlHeader)),
  info("GpadlBody", "GPADL_BODY", G2H, V1, one(L.GpadlBody)),
  info("GpadlCreated", "GPADL_CREATED", H2G, V1, one(L.GpadlCreated)),
  info("GpadlTeardown", "GPADL_TEARDOWN", G2H, V1, one(L.GpadlTeardown)),
  info("GpadlTorndown", "GPADL_TORNDOWN", H2G, V1, one(L.GpadlTorndown)),
  info("RelIdReleased", "RELID_RELEASED", G2H, V1, one(L.RelIdReleased)),
  info("InitiateContact", "INITIATE_CONTACT", G2H, 0, [
    { form: "interruptPage", layout: L.InitiateContact },
    { form: "msgSint", layout: L.InitiateContactMsgSint },
    { form: "clientId", layout: L.InitiateContactClientId },
  ]),
  info("VersionResponse", "VERSION_RESPONSE", H2G, 0, [
    { form: "v1", layout: L.VersionResponse },
    { form: "copper", layout: L.VersionResponseCopper },
    { form: "serverMonitor", layout: L.VersionResponseServerMonitor },
  ]),
  info("Unload", "UNLOAD", G2H, V1, one(L.Unload)),
  info("UnloadResponse", "UNLOAD_RESPONSE", H2G, Version.WIN7, one(L.UnloadResponse)),
  info("OpenReservedChannel", "CHANNELMSG_18", G2H, Version.WIN10, one(L.OpenReservedChannel)),
  info("CloseReservedChannel", "CHANNELMSG_19", G2H, 0, one(L.CloseReservedChannel)),
  info("CloseReservedResponse", "CHANNELMSG_20", H2G, Version.WIN10, one(L.CloseReservedResponse)),
  info("TlConnectRequest", "TL_CONNECT_REQUEST", G2H, Version.WIN10, [
    { form: "v1", layout: L.TlConnectRequest },
    { form: "silo", layout: L.TlConnectRequestSilo },
  ]),
  info("ModifyChannel", "MODIFYCHANNEL", G2H, Version.WIN10_V4_1, one(L.ModifyChannel)),
  info("TlConnectResult", "TL_CONNECT_RESULT", H2G, Version.WIN10_V4_1, one(L.TlConnectResult)),
  info("ModifyChannelResponse", "MODIFYCHANNEL_RESPONSE", H2G, Version.WIN10_V5_3, one(L.ModifyChannelResponse)),
  info("ModifyConnection", "—", G2H, Version.WIN10_V6_0, one(L.ModifyConnection), FeatureFlag.MODIFY_CONNECTION),
  info("ModifyConnectionResponse", "—", H2G, Version.WIN10_V6_0, one(L.ModifyConnectionResponse), FeatureFlag.MODIFY_CONNECTION),
  info("Pause", "—", G2H, Version.WIN10_V6_0, one(L.Pause), FeatureFlag.PAUSE_RESUME),
  info("PauseResponse", "—", H2G, Version.WIN10_V6_0, one(L.PauseResponse), FeatureFlag.PAUSE_RESUME),
  info("Resume", "—", G2H, Version.WIN10_V6_0, one(L.Resume), FeatureFlag.PAUSE_RESUME),
];

const BY_NUMBER: ReadonlyMap<number, MessageInfo> = new Map(MESSAGE_TABLE.map((m) => [m.number, m]));
const BY_NAME: ReadonlyMap<string, MessageInfo> = new Map(MESSAGE_TABLE.map((m) => [m.type, m]));

export const messageInfoByNumber = (n: number): MessageInfo | undefined => BY_NUMBER.get(n);
export const messageInfo = (type: MessageTypeName): MessageInfo => BY_NAME.get(type)!;

/** The layout of a message type and form (first form when `form` is undefined or unknown). */
export const layoutOf = (type: MessageTypeName, form: string | undefined): Layout => {
  const i = messageInfo(type);
  return (i.forms.find((f) => f.form === form) ?? i.forms[0]!).layout;
};
