/** The 8-byte common header (fact sheet §2.2) and the helpers every message layout uses. */
import type { Field, FieldNames, FieldType, Layout } from "../layout.js";

/** Field constructor (keeps the layout tables one line per field). */
export const field = (
  name: string,
  offset: number,
  size: number,
  type: FieldType,
  names: FieldNames = {},
  note?: string,
): Field => (note === undefined ? { name, offset, size, type, names } : { name, offset, size, type, names, note });

/** §2.2: msgtype u32 @0, padding u32 @4 (senders write 0). */
export const HEADER_FIELDS: readonly Field[] = [
  field("msgtype", 0, 4, "u32", { linux: "header.msgtype", qemu: "header.message_type", ms: "MessageType" }, "u32 enum; §2.1 message type number"),
  field("padding", 4, 4, "reserved", { linux: "header.padding", qemu: "header._padding", ms: "Padding" }, "senders write 0 (O-proto MessageHeader::new)"),
];

export const MessageHeader: Layout = {
  name: "MessageHeader",
  title: "Common header of every channel message",
  size: 8,
  fields: HEADER_FIELDS,
  source: "§2.2; L-hyperv.h, L-drv, Q-proto, O-proto, MS-cm",
};

/** A channel-message layout: the common header followed by `fields`. */
export const messageLayout = (name: string, title: string, size: number, source: string, fields: readonly Field[]): Layout => ({
  name,
  title,
  size,
  fields: [...HEADER_FIELDS, ...fields],
  source,
});

export const SRC_ALL = "§2.3; L-hyperv.h, Q-proto, O-proto, MS-cm";
