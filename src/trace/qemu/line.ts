/**
 * One line of QEMU's log trace backend: `PID@SECONDS.MICROSECONDS:event args` (the prefix is
 * absent when QEMU runs without message timestamps). Lines of other trace events, error_report
 * text and console noise are `noise`; a `vmbus_*` name QEMU's hw/hyperv/trace-events does not
 * define (a newer QEMU) is `unknownEvent`.
 */
import { isQemuEventName, parseEventArgs, type QemuEvent } from "./events.js";

export type QemuLine =
  | { readonly kind: "event"; readonly event: QemuEvent; readonly pid?: number; readonly extra: string }
  | { readonly kind: "noise" }
  | { readonly kind: "unknownEvent"; readonly name: string }
  | { readonly kind: "malformed"; readonly error: string };

const PREFIX = /^(\d{1,10})@(\d{1,20})\.(\d{1,9}):/;
const NAME = /^(vmbus_[A-Za-z0-9_]*)(?:\s(.*))?$/;

export const parseQemuLine = (text: string): QemuLine => {
  let body = text.replace(/\r$/, "");
  let pid: number | undefined;
  const p = PREFIX.exec(body);
  if (p) {
    pid = Number(p[1]);
    body = body.slice(p[0].length);
  }
  const m = NAME.exec(body);
  if (!m) return { kind: "noise" };
  const name = m[1]!;
  if (!isQemuEventName(name)) return { kind: "unknownEvent", name };
  const r = parseEventArgs(name, m[2] ?? "");
  if (!r.ok) return { kind: "malformed", error: r.error };
  return pid === undefined ? { kind: "event", event: r.event, extra: r.extra } : { kind: "event", event: r.event, pid, extra: r.extra };
};
