/**
 * Linux's `hyperv` trace events (TP_printk formats of Linux drivers/hv/hv_trace.h) and the
 * tracefs `trace` file line around them:
 *
 *   <task>-<pid> [<cpu>] <flags> <seconds>.<micro>: <event>: <args>
 *
 * (the flags column and a "(tgid)" column are optional, as tracefs prints them per options).
 * One table drives both the parser and the formatter the tests generate logs with.
 */

/** printf conversions used by hv_trace.h: %u, %d, %x, %llx, %pUl (GUID). */
type Conv = "u" | "d" | "x" | "llx" | "pUl";

export const LINUX_TRACE_EVENTS: Readonly<Record<string, string>> = {
  vmbus_on_msg_dpc: "msgtype=%u",
  vmbus_on_message: "msgtype=%u",
  vmbus_onoffer:
    "child_relid 0x%x, monitorid 0x%x, is_dedicated %d, connection_id 0x%x, if_type %pUl, if_instance %pUl, chn_flags 0x%x, mmio_megabytes %d, sub_channel_index %d",
  vmbus_onoffer_rescind: "child_relid 0x%x",
  vmbus_onopen_result: "child_relid 0x%x, openid %d, status %d",
  vmbus_ongpadl_created: "child_relid 0x%x, gpadl 0x%x, creation_status %d",
  vmbus_ongpadl_torndown: "gpadl 0x%x",
  vmbus_onversion_response: "version_supported %d",
  vmbus_request_offers: "sending ret %d",
  vmbus_open: "sending child_relid 0x%x, openid %d, gpadlhandle 0x%x, target_vp 0x%x, offset 0x%x, ret %d",
  vmbus_close_internal: "sending child_relid 0x%x, ret %d",
  vmbus_establish_gpadl_header: "sending child_relid 0x%x, gpadl 0x%x, range_buflen %d rangecount %d, ret %d",
  vmbus_establish_gpadl_body: "sending msgnumber %d, gpadl 0x%x, ret %d",
  vmbus_teardown_gpadl: "sending child_relid 0x%x, gpadl 0x%x, ret %d",
  vmbus_negotiate_version: "sending vmbus_version_requested %d, target_vcpu 0x%x, pages %llx:%llx:%llx, ret %d",
  vmbus_release_relid: "sending child_relid 0x%x, ret %d",
  vmbus_send_tl_connect_request: "sending guest_endpoint_id %pUl, host_service_id %pUl, ret %d",
  vmbus_send_modifychannel: "binding child_relid 0x%x to target_vp 0x%x, ret %d",
  vmbus_chan_sched: "relid 0x%x",
  vmbus_setevent: "relid 0x%x",
  vmbus_on_event: "relid 0x%x",
};

/** A parsed event: arguments as canonical text (numbers in decimal, GUIDs lower case). */
export interface LinuxEvent {
  readonly name: string;
  readonly args: readonly string[];
}

const CONV_RE: Readonly<Record<Conv, string>> = {
  u: "([0-9]+)",
  d: "(-?[0-9]+)",
  x: "([0-9a-fA-F]+)",
  llx: "([0-9a-fA-F]+)",
  pUl: "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})",
};

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const compile = (format: string): { convs: Conv[]; re: RegExp } => {
  const convs: Conv[] = [];
  const src = format
    .split(/(%llx|%pUl|%[udx])/)
    .map((part) => {
      if (part.startsWith("%")) {
        const c = part.slice(1) as Conv;
        convs.push(c);
        return CONV_RE[c];
      }
      return escapeRe(part);
    })
    .join("");
  return { convs, re: new RegExp(`^${src}(.*)$`) };
};

const GRAMMARS = new Map(Object.entries(LINUX_TRACE_EVENTS).map(([n, f]) => [n, { format: f, ...compile(f) }]));

export const isLinuxEventName = (n: string): boolean => GRAMMARS.has(n);

const canon = (c: Conv, text: string): { ok: true; v: string } | { ok: false; error: string } => {
  if (c === "pUl") return { ok: true, v: text.toLowerCase() };
  const digits = text.replace(/^-?0*/, "");
  const max = c === "llx" ? 16 : c === "x" ? 8 : 10;
  if (digits.length > max) return { ok: false, error: `${text} does not fit in ${c === "llx" ? 64 : 32} bits` };
  const v = c === "x" || c === "llx" ? BigInt(`0x${text}`) : BigInt(text);
  if (c !== "llx" && (v > 0xffffffffn || v < -0x80000000n)) return { ok: false, error: `${text} does not fit in 32 bits` };
  return { ok: true, v: v.toString() };
};

export type ParsedLinuxEvent = { readonly ok: true; readonly event: LinuxEvent; readonly extra: string } | { readonly ok: false; readonly error: string };

export const parseLinuxEventArgs = (name: string, rest: string): ParsedLinuxEvent => {
  const g = GRAMMARS.get(name);
  if (!g) return { ok: false, error: `unknown event ${name}` };
  const m = g.re.exec(rest);
  if (!m) return { ok: false, error: `${name}: expected '${g.format}', got '${rest.slice(0, 200)}'` };
  const args: string[] = [];
  for (let i = 0; i < g.convs.length; i++) {
    const r = canon(g.convs[i]!, m[i + 1]!);
    if (!r.ok) return { ok: false, error: `${name}: argument ${i + 1}: ${r.error}` };
    args.push(r.v);
  }
  return { ok: true, event: { name, args }, extra: (m[g.convs.length + 1] ?? "").trim() };
};

/** printf the event's TP_printk format (values: numbers, bigints, or GUID strings). */
export const formatLinuxEvent = (name: string, values: readonly (number | bigint | string)[]): string => {
  const g = GRAMMARS.get(name);
  if (!g) throw new Error(`unknown Linux event ${name}`);
  let i = 0;
  const body = g.format.replace(/%llx|%pUl|%[udx]/g, (conv) => {
    const v = values[i++] ?? 0;
    if (conv === "%pUl") return String(v).toLowerCase();
    const n = BigInt(v);
    if (conv === "%x") return (n & 0xffffffffn).toString(16);
    if (conv === "%llx") return (n & 0xffffffffffffffffn).toString(16);
    if (conv === "%u") return (n & 0xffffffffn).toString();
    return BigInt.asIntN(32, n).toString();
  });
  return `${name}: ${body}`;
};

export type LinuxLine =
  | { readonly kind: "event"; readonly event: LinuxEvent; readonly extra: string }
  | { readonly kind: "noise" }
  | { readonly kind: "unknownEvent"; readonly name: string }
  | { readonly kind: "malformed"; readonly error: string };

/** `<task>-<pid> [(<tgid>)] [<cpu>] [<flags>] <sec>.<usec>: <event>: <args>`; "#" lines and others are noise. */
const PREFIX = /^\s*.+?-\d+\s+(?:\(\s*[-\d]+\)\s+)?\[\d+\]\s+(?:\S{4,6}\s+)?\d+\.\d+:\s+([A-Za-z0-9_]+):\s?(.*)$/;

export const HYPERV_PREFIXES = ["vmbus_"];

export const parseLinuxLine = (text: string): LinuxLine => {
  const t = text.replace(/\r$/, "");
  if (t.startsWith("#")) return { kind: "noise" };
  const m = PREFIX.exec(t);
  if (!m) return { kind: "noise" };
  const name = m[1]!;
  if (!isLinuxEventName(name)) return name.startsWith("vmbus_") ? { kind: "unknownEvent", name } : { kind: "noise" };
  const r = parseLinuxEventArgs(name, m[2] ?? "");
  return r.ok ? { kind: "event", event: r.event, extra: r.extra } : { kind: "malformed", error: r.error };
};

/** A tracefs line as Linux prints it (task, pid, cpu, flags and a timestamp). */
export const tracefsLine = (body: string, n: number, task = "kworker/0:1", pid = 42): string =>
  `${task.padStart(16)}-${String(pid).padEnd(7)} [000] ..... ${(10 + n / 1000).toFixed(6).padStart(12)}: ${body}`;
