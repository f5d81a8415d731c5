/** ALL_LAYOUTS: every layout of the protocol, in docs order (messages, framing, ring packets). */
import type { Layout } from "./layout.js";
import * as L from "./layouts/index.js";
import { PACKET_LAYOUTS } from "./packet.js";
import { MESSAGE_TABLE } from "./table.js";

export const MESSAGE_LAYOUTS: readonly Layout[] = [
  L.MessageHeader,
  ...MESSAGE_TABLE.flatMap((m) => m.forms.map((f) => f.layout)),
  L.GpadlRange,
];

export const FRAMING_LAYOUTS: readonly Layout[] = [L.SynicMessage, L.HvPostMessageInput, L.HvSignalEventInput, L.MonitorPage];

export { PACKET_LAYOUTS };

export const ALL_LAYOUTS: readonly Layout[] = [...MESSAGE_LAYOUTS, ...FRAMING_LAYOUTS, ...PACKET_LAYOUTS];

/** A layout by name (case-insensitive). */
export const findLayout = (name: string): Layout | undefined => ALL_LAYOUTS.find((l) => l.name.toLowerCase() === name.toLowerCase());
