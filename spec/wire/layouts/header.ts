/** The 8-byte common header and the helpers every message layout uses. */
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

/** msgtype u32 @0, padding u32 @4 (senders write 0). */
export const HEADER_FIELDS: readonly Field[] = [
  field("msgtype", 0, 4, "u32", { linux: "header.msgtype", qemu: "header.message_type", ms: "MessageType" }, "u32 enum message type number"),
  field("padding", 4, 4, "reserved", { linux: "header.padding", qemu: "header._padding", ms: "Padding" }, "senders write 0 (OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs MessageHeader::new)"),
];

export const MessageHeader: Layout = {
  name: "MessageHeader",
  title: "Common header of every channel message",
  size: 8,
  fields: HEADER_FIELDS,
  source: "Linux include/linux/hyperv.h, Linux drivers/hv/vmbus_drv.c, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h",
};

/** A channel-message layout: the common header followed by `fields`. */
export const messageLayout = (name: string, title: string, size: number, source: string, fields: readonly Field[]): Layout => ({
  name,
  title,
  size,
  fields: [...HEADER_FIELDS, ...fields],
  source,
});

export const SRC_ALL = "Linux include/linux/hyperv.h, QEMU include/hw/hyperv/vmbus-proto.h, OpenVMM vm/devices/vmbus/vmbus_core/src/protocol.rs, Microsoft mu_msvm VmbusDxe/ChannelMessages.h";
