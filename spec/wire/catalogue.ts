/** ALL_LAYOUTS: every layout of the protocol, in docs order (messages, then framing, then packets). */
import type { Layout } from "./layout.js";
import * as L from "./layouts/index.js";
import { MESSAGE_TABLE } from "./table.js";

export const MESSAGE_LAYOUTS: readonly Layout[] = [
  L.MessageHeader,
  ...MESSAGE_TABLE.flatMap((m) => m.forms.map((f) => f.layout)),
  L.GpaRange,
];

export const FRAMING_LAYOUTS: readonly Layout[] = [L.SynicMessage, L.HvPostMessageInput, L.HvSignalEventInput, L.MonitorPage];

export const ALL_LAYOUTS: readonly Layout[] = [...MESSAGE_LAYOUTS, ...FRAMING_LAYOUTS];

export const findLayout = (name: string): Layout | undefined => ALL_LAYOUTS.find((l) => l.name.toLowerCase() === name.toLowerCase());
