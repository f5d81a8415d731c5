/**
 * QEMU's VMBus trace events (fact sheet §11; format strings from qemu hw/hyperv/trace-events).
 * The host emits `{kind: "trace", event, args}` outputs at the points QEMU calls them;
 * `formatQemuTrace` prints one the way QEMU's "log" trace backend does: `<event> <formatted>`.
 */
import type { HostOutput } from "./interface.js";

type Arg = "d32" | "u16" | "x64" | "ptr";

/** Event name -> [argument kinds, format with %s placeholders]. */
export const QEMU_TRACE_EVENTS: Readonly<Record<string, { readonly args: readonly Arg[]; readonly format: string }>> = {
  vmbus_recv_message: { args: ["d32", "d32"], format: "type %s size %s" },
  vmbus_signal_event: { args: [], format: "" },
  vmbus_channel_notify_guest: { args: ["d32"], format: "channel #%s" },
  vmbus_post_msg: { args: ["d32", "d32"], format: "type %s size %s" },
  vmbus_msg_cb: { args: ["d32"], format: "message status %s" },
  vmbus_process_incoming_message: { args: ["d32"], format: "type %s" },
  vmbus_initiate_contact: {
    args: ["u16", "u16", "d32", "x64", "x64", "x64"],
    format: "version %s.%s target vp %s mon pages 0x%s,0x%s int page 0x%s",
  },
  // QEMU prints the device's host pointer (%p); the spec prints the device name in its place.
  vmbus_send_offer: { args: ["d32", "ptr"], format: "channel #%s dev %s" },
  vmbus_terminate_offers: { args: [], format: "" },
  // num_gfns is declared uint16_t in the trace prototype: QEMU truncates it (§11).
  vmbus_gpadl_header: { args: ["d32", "u16"], format: "gpadl #%s gfns %s" },
  vmbus_gpadl_body: { args: ["d32"], format: "gpadl #%s" },
  vmbus_gpadl_created: { args: ["d32"], format: "gpadl #%s" },
  vmbus_gpadl_teardown: { args: ["d32"], format: "gpadl #%s" },
  vmbus_gpadl_torndown: { args: ["d32"], format: "gpadl #%s" },
  vmbus_open_channel: { args: ["d32", "d32", "d32"], format: "channel #%s gpadl #%s target vp %s" },
  vmbus_channel_open: { args: ["d32", "d32"], format: "channel #%s status %s" },
  vmbus_close_channel: { args: ["d32"], format: "channel #%s" },
};

export const QEMU_TRACE_EVENT_NAMES: readonly string[] = Object.keys(QEMU_TRACE_EVENTS);

const fmtArg = (kind: Arg, v: number | string): string => {
  if (kind === "ptr") return String(v);
  if (kind === "x64") {
    try {
      return BigInt(v).toString(16);
    } catch {
      return "0";
    }
  }
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n)) return "0";
  if (kind === "u16") return String(n & 0xffff); // promoted to int: always non-negative
  return String(n | 0); // %d of a uint32_t: printed as signed int
};

/** QEMU's log-backend line for a trace output; undefined for other outputs or unknown events. */
export const formatQemuTrace = (output: HostOutput): string | undefined => {
  if (output.kind !== "trace") return undefined;
  const ev = QEMU_TRACE_EVENTS[output.event];
  if (!ev) return undefined;
  let i = 0;
  const body = ev.format.replace(/%s/g, () => {
    const kind = ev.args[i];
    const v = output.args[i];
    i++;
    return kind === undefined || v === undefined ? "" : fmtArg(kind, v);
  });
  return body === "" ? output.event : `${output.event} ${body}`;
};

export const trace = (event: string, ...args: (number | string)[]): HostOutput => ({ kind: "trace", event, args });
