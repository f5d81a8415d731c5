/**
 * The Linux guest's send events: which hv_trace.h event each posted message produces (Linux
 * traces after vmbus_post_msg returns, with its return value as `ret`) and the message fields
 * it prints, read from the exact bytes the spec guest posts. UNLOAD (vmbus_initiate_unload)
 * and the other messages listed as untraced print nothing.
 */
import { readGuid } from "../../../spec/wire/guid.js";
import { hexToBytes } from "../../../spec/wire/hex.js";
import type { Message } from "../../../spec/wire/messages.js";
import { formatLinuxEvent, type LinuxEvent, parseLinuxEventArgs } from "./events.js";

type Field = readonly ["u32" | "u16" | "u64" | "guid", number];

const SEND_EVENTS: Partial<Record<Message["type"], { readonly event: string; readonly fields: readonly Field[] }>> = {
  InitiateContact: { event: "vmbus_negotiate_version", fields: [["u32", 8], ["u32", 12], ["u64", 16], ["u64", 24], ["u64", 32]] },
  RequestOffers: { event: "vmbus_request_offers", fields: [] },
  OpenChannel: { event: "vmbus_open", fields: [["u32", 8], ["u32", 12], ["u32", 16], ["u32", 20], ["u32", 24]] },
  CloseChannel: { event: "vmbus_close_internal", fields: [["u32", 8]] },
  GpadlHeader: { event: "vmbus_establish_gpadl_header", fields: [["u32", 8], ["u32", 12], ["u16", 16], ["u16", 18]] },
  GpadlBody: { event: "vmbus_establish_gpadl_body", fields: [["u32", 8], ["u32", 12]] },
  GpadlTeardown: { event: "vmbus_teardown_gpadl", fields: [["u32", 8], ["u32", 12]] },
  RelIdReleased: { event: "vmbus_release_relid", fields: [["u32", 8]] },
  ModifyChannel: { event: "vmbus_send_modifychannel", fields: [["u32", 8], ["u32", 12]] },
  TlConnectRequest: { event: "vmbus_send_tl_connect_request", fields: [["guid", 8], ["guid", 24]] },
};

export const sendEventOf = (m: Message): string | undefined => SEND_EVENTS[m.type]?.event;

const read = (b: Uint8Array, [kind, off]: Field): bigint | string => {
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const ok = (size: number): boolean => off + size <= b.length;
  if (kind === "guid") {
    const g = readGuid(b, off);
    return g.ok ? g.value : "00000000-0000-0000-0000-000000000000";
  }
  if (kind === "u16") return ok(2) ? BigInt(dv.getUint16(off, true)) : 0n;
  if (kind === "u32") return ok(4) ? BigInt(dv.getUint32(off, true)) : 0n;
  return ok(8) ? dv.getBigUint64(off, true) : 0n;
};

/** The line Linux prints (without the tracefs prefix) for posting `m` with bytes `hex` and `ret`. */
export const sendLine = (m: Message, hex: string, ret: number): string | undefined => {
  const spec = SEND_EVENTS[m.type];
  const b = hexToBytes(hex);
  if (!spec || !b.ok) return undefined;
  return formatLinuxEvent(spec.event, [...spec.fields.map((f) => read(b.value, f)), ret]);
};

export const expectedSendLine = (m: Message, hex: string): string | undefined => sendLine(m, hex, 0);

/** Does event `e` print exactly the fields of this post (its `ret` aside)? */
export const sendMatches = (e: LinuxEvent, m: Message, hex: string): boolean => {
  const spec = SEND_EVENTS[m.type];
  if (!spec || spec.event !== e.name) return false;
  const line = sendLine(m, hex, 0);
  if (!line) return false;
  const p = parseLinuxEventArgs(e.name, line.slice(e.name.length + 2));
  if (!p.ok) return false;
  const k = p.event.args.length - 1;
  return p.event.args.slice(0, k).every((a, i) => a === e.args[i]);
};
