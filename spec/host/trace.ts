/**
 * QEMU's VMBus trace events, as declared in QEMU hw/hyperv/trace-events (0d71f708). The host
 * emits `{kind: "trace", event, args}` outputs at the points QEMU calls them; `formatQemuTrace`
 * prints one exactly as QEMU's "log" trace backend does: `<event> <formatted>` — the space is
 * there even when the format is empty (`vmbus_terminate_offers `, `vmbus_signal_event `).
 */
import type { HostOutput } from "./interface.js";

type Arg = "d32" | "u16" | "x64" | "ptr";

interface TraceEvent {
  /** Argument kinds, in order. */
  readonly args: readonly Arg[];
  /** The format with `%s` where each argument goes (what formatQemuTrace fills in). */
  readonly format: string;
  /** QEMU's own declaration in hw/hyperv/trace-events: prototype and format string, verbatim. */
  readonly qemu: string;
}

export const QEMU_TRACE_EVENTS: Readonly<Record<string, TraceEvent>> = {
  vmbus_recv_message: { args: ["d32", "d32"], format: "type %s size %s", qemu: '(uint32_t type, uint32_t size) "type %d size %d"' },
  vmbus_signal_event: { args: [], format: "", qemu: '(void) ""' },
  vmbus_channel_notify_guest: { args: ["d32"], format: "channel #%s", qemu: '(uint32_t chan_id) "channel #%d"' },
  vmbus_post_msg: { args: ["d32", "d32"], format: "type %s size %s", qemu: '(uint32_t type, uint32_t size) "type %d size %d"' },
  vmbus_msg_cb: { args: ["d32"], format: "message status %s", qemu: '(int status) "message status %d"' },
  vmbus_process_incoming_message: { args: ["d32"], format: "type %s", qemu: '(uint32_t message_type) "type %d"' },
  vmbus_initiate_contact: {
    args: ["u16", "u16", "d32", "x64", "x64", "x64"],
    format: "version %s.%s target vp %s mon pages 0x%s,0x%s int page 0x%s",
    qemu: '(uint16_t major, uint16_t minor, uint32_t vcpu, uint64_t monitor_page1, uint64_t monitor_page2, uint64_t interrupt_page) "version %d.%d target vp %d mon pages 0x%"PRIx64",0x%"PRIx64" int page 0x%"PRIx64',
  },
  // QEMU prints the device's host pointer (%p); the spec prints the device name in its place.
  vmbus_send_offer: { args: ["d32", "ptr"], format: "channel #%s dev %s", qemu: '(uint32_t chan_id, void *dev) "channel #%d dev %p"' },
  vmbus_terminate_offers: { args: [], format: "", qemu: '(void) ""' },
  // num_gfns is declared uint16_t in the trace prototype: QEMU truncates it.
  vmbus_gpadl_header: { args: ["d32", "u16"], format: "gpadl #%s gfns %s", qemu: '(uint32_t gpadl_id, uint16_t num_gfns) "gpadl #%d gfns %d"' },
  vmbus_gpadl_body: { args: ["d32"], format: "gpadl #%s", qemu: '(uint32_t gpadl_id) "gpadl #%d"' },
  vmbus_gpadl_created: { args: ["d32"], format: "gpadl #%s", qemu: '(uint32_t gpadl_id) "gpadl #%d"' },
  vmbus_gpadl_teardown: { args: ["d32"], format: "gpadl #%s", qemu: '(uint32_t gpadl_id) "gpadl #%d"' },
  vmbus_gpadl_torndown: { args: ["d32"], format: "gpadl #%s", qemu: '(uint32_t gpadl_id) "gpadl #%d"' },
  vmbus_open_channel: { args: ["d32", "d32", "d32"], format: "channel #%s gpadl #%s target vp %s", qemu: '(uint32_t chan_id, uint32_t gpadl_id, uint32_t target_vp) "channel #%d gpadl #%d target vp %d"' },
  vmbus_channel_open: { args: ["d32", "d32"], format: "channel #%s status %s", qemu: '(uint32_t chan_id, uint32_t status) "channel #%d status %d"' },
  vmbus_close_channel: { args: ["d32"], format: "channel #%s", qemu: '(uint32_t chan_id) "channel #%d"' },
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
  // The log backend prints "<event> " then the formatted string, even when that is empty.
  return `${output.event} ${body}`;
};

export const trace = (event: string, ...args: (number | string)[]): HostOutput => ({ kind: "trace", event, args });
