/**
 * The guest message bytes a QEMU log does not show. When the host's run takes the head of its
 * incoming queue, the trace lines that follow (vmbus_initiate_contact, vmbus_gpadl_header,
 * vmbus_open_channel, …) fix some fields; the rest are chosen here from a small candidate set
 * that covers every behaviour QEMU hw/hyperv/vmbus.c distinguishes (a valid GPADL or one
 * handle_gpadl_header drops; a ring split ringbufs_init accepts or refuses). Every candidate is
 * checked by running the spec host on it: a wrong guess is simply not explained.
 */
import * as L from "../../../spec/wire/layouts/index.js";
import type { Layout } from "../../../spec/wire/layout.js";
import { MessageType } from "../../../spec/wire/messages.js";
import { bytesToHex } from "../../../spec/wire/hex.js";
import type { HostState } from "../../../spec/host/state.js";
import { argNumber, type QemuEvent } from "./events.js";

const put32 = (b: Uint8Array, off: number, v: number): void => {
  if (off + 4 > b.length) return;
  new DataView(b.buffer, b.byteOffset).setUint32(off, v >>> 0, true);
};
const put16 = (b: Uint8Array, off: number, v: number): void => {
  if (off + 2 > b.length) return;
  new DataView(b.buffer, b.byteOffset).setUint16(off, v & 0xffff, true);
};
const put64 = (b: Uint8Array, off: number, hex: string): void => {
  if (off + 8 > b.length) return;
  new DataView(b.buffer, b.byteOffset).setBigUint64(off, BigInt(`0x${hex}`) & 0xffffffffffffffffn, true);
};
const fieldOffset = (layout: Layout, name: string): number => layout.fields.find((f) => f.name === name)?.offset ?? -1;
const set = (b: Uint8Array, layout: Layout, name: string, v: number): void => {
  const f = layout.fields.find((x) => x.name === name);
  if (!f) return;
  if (f.size === 2) put16(b, f.offset, v);
  else put32(b, f.offset, v);
};

/** A payload of `size` bytes (at most 240) starting with the message type, the rest zero. */
export const placeholder = (type: number, size: number): string => {
  const b = new Uint8Array(Math.min(240, Math.max(0, size)));
  put32(b, 0, type);
  return bytesToHex(b);
};

/** Arbitrary PFNs: the host only counts them. */
const PFN_BASE = 0x10000;

const withType = (type: number, size: number): Uint8Array => {
  const b = new Uint8Array(Math.min(240, size));
  put32(b, 0, type);
  return b;
};

/** The first line of `name` in the look-ahead window, before the next message is processed. */
const findAhead = (ahead: readonly QemuEvent[], name: string): QemuEvent | undefined => {
  for (const e of ahead) {
    if (e.name === name) return e;
    if (e.name === "vmbus_process_incoming_message") return undefined;
  }
  return undefined;
};

/**
 * Candidate payloads (hex) for the queued message of `type` and `size`, given the lines after
 * its vmbus_process_incoming_message. Always includes the placeholder (type, zeros), which
 * explains the messages the handler drops before tracing anything.
 */
export const payloadCandidates = (type: number, size: number, ahead: readonly QemuEvent[], host: HostState, minRingPages: number): readonly string[] => {
  const out: string[] = [placeholder(type, size)];
  const add = (b: Uint8Array): void => {
    const h = bytesToHex(b);
    if (!out.includes(h)) out.push(h);
  };
  switch (type) {
    case MessageType.InitiateContact: {
      const e = findAhead(ahead, "vmbus_initiate_contact");
      if (!e) break;
      const b = withType(type, size);
      put32(b, fieldOffset(L.InitiateContact, "vmbusVersionRequested"), ((argNumber(e, 0) << 16) | argNumber(e, 1)) >>> 0);
      put32(b, fieldOffset(L.InitiateContact, "targetVcpu"), argNumber(e, 2));
      put64(b, fieldOffset(L.InitiateContact, "monitorPage1"), e.args[3]!);
      put64(b, fieldOffset(L.InitiateContact, "monitorPage2"), e.args[4]!);
      put64(b, fieldOffset(L.InitiateContact, "interruptPage"), e.args[5]!);
      add(b);
      break;
    }
    case MessageType.GpadlHeader: {
      const e = findAhead(ahead, "vmbus_gpadl_header");
      if (!e) break;
      const id = argNumber(e, 0);
      const gfns = argNumber(e, 1); // QEMU prints num_gfns truncated to 16 bits: the small reading
      const valid = withType(type, size);
      set(valid, L.GpadlHeader, "gpadl", id);
      set(valid, L.GpadlHeader, "rangeBufferLength", 8 + 8 * gfns);
      set(valid, L.GpadlHeader, "rangeCount", 1);
      const r0 = fieldOffset(L.GpadlHeader, "ranges");
      put32(valid, r0 + fieldOffset(L.GpadlRange, "byteCount"), (gfns << 12) >>> 0);
      const pfn0 = r0 + L.GpadlRange.size;
      for (let i = 0; pfn0 + 8 * i + 8 <= valid.length && i < gfns; i++) put64(valid, pfn0 + 8 * i, (PFN_BASE + i).toString(16));
      add(valid);
      // One that handle_gpadl_header drops (HOST-GPADL-1: rangecount 0).
      const dropped = withType(type, size);
      set(dropped, L.GpadlHeader, "gpadl", id);
      set(dropped, L.GpadlHeader, "rangeBufferLength", 8 + 8 * gfns);
      add(dropped);
      break;
    }
    case MessageType.GpadlBody: {
      const e = findAhead(ahead, "vmbus_gpadl_body");
      if (!e) break;
      const b = withType(type, size);
      set(b, L.GpadlBody, "gpadl", argNumber(e, 0));
      const base = fieldOffset(L.GpadlBody, "pfns");
      for (let i = 0; base + 8 * i + 8 <= b.length; i++) put64(b, base + 8 * i, (PFN_BASE + 0x1000 + i).toString(16));
      add(b);
      break;
    }
    case MessageType.GpadlTeardown: {
      const e = findAhead(ahead, "vmbus_gpadl_teardown");
      if (!e) break;
      const b = withType(type, size);
      set(b, L.GpadlTeardown, "gpadl", argNumber(e, 0));
      add(b);
      break;
    }
    case MessageType.OpenChannel: {
      const e = findAhead(ahead, "vmbus_open_channel");
      if (!e) break;
      const relid = argNumber(e, 0);
      const gpadl = argNumber(e, 1);
      const make = (offset: number): Uint8Array => {
        const b = withType(type, size);
        set(b, L.OpenChannel, "childRelid", relid);
        set(b, L.OpenChannel, "openId", relid); // Linux uses the relid as open id
        set(b, L.OpenChannel, "ringBufferGpadlHandle", gpadl);
        set(b, L.OpenChannel, "targetVp", argNumber(e, 2) >>> 0);
        set(b, L.OpenChannel, "downstreamRingBufferPageOffset", offset);
        return b;
      };
      // A split ringbufs_init accepts (when the GPADL is big enough) and one it refuses.
      const pages = host.gpadls.find((g) => g.id === gpadl)?.expected ?? 0;
      const half = Math.max(minRingPages, Math.floor(pages / 2));
      if (pages >= half + minRingPages) add(make(half));
      add(make(0));
      break;
    }
    case MessageType.CloseChannel: {
      const e = findAhead(ahead, "vmbus_close_channel");
      if (!e) break;
      const b = withType(type, size);
      set(b, L.CloseChannel, "childRelid", argNumber(e, 0));
      add(b);
      break;
    }
    default:
      break;
  }
  return out;
};
