/** Shared helpers for the trace tests: spec sessions printed as logs, and replaying a reconstructed session. */
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { hostStep, initialHostState, type HostConfig } from "../../spec/host/host.js";
import type { DeviceSpec, HostInput } from "../../spec/host/interface.js";
import { formatQemuTrace } from "../../spec/host/trace.js";
import { DEFAULT_DRIVER, type SystemConfig } from "../../spec/system/config.js";
import { linesOf } from "../../src/trace/lines.js";
import { checkQemuLines } from "../../src/trace/qemu/check.js";
import { devicesFromOffers } from "../../src/trace/qemu/prescan.js";
import { parseQemuLine } from "../../src/trace/qemu/line.js";
import type { TraceVerdict } from "../../src/trace/verdict.js";

export const systemConfig = (opts: { channels?: number; buffers?: number; modify?: boolean; cycles?: number; versions?: readonly number[] } = {}): SystemConfig<HostConfig> => ({
  host: { profile: "qemu", devices: DEFAULT_DEVICES, vcpuCount: 2 },
  guest: { ...DEFAULT_GUEST_CONFIG, ...(opts.versions ? { versions: opts.versions } : {}) },
  driver: { ...DEFAULT_DRIVER, channels: opts.channels ?? 2, buffers: opts.buffers ?? 1, modify: opts.modify ?? false, cycles: opts.cycles ?? 1 },
  rescinds: 0,
});

/** What the checker would infer from the log's offers (names = the spec's device names). */
export const impliedDevices = (lines: readonly string[]): DeviceSpec[] => {
  const offers = new Map<number, string>();
  for (const l of lines) {
    const p = parseQemuLine(l);
    if (p.kind === "event" && p.event.name === "vmbus_send_offer" && !offers.has(Number(p.event.args[0]))) offers.set(Number(p.event.args[0]), p.event.args[1]!);
  }
  return devicesFromOffers(offers);
};

export const checkQemu = (lines: readonly string[], opts: { devices?: readonly DeviceSpec[]; vcpus?: number; resets?: boolean; history?: boolean } = {}): Promise<TraceVerdict> =>
  checkQemuLines(linesOf(lines), {
    config: { profile: "qemu", devices: opts.devices ?? impliedDevices(lines), vcpuCount: opts.vcpus ?? 2 },
    resets: opts.resets ?? true,
    compareDevices: opts.devices === undefined,
    keepHistory: opts.history ?? true,
  });

/** Replay a reconstructed session on the spec host (devices realized at boot, as `--devices FILE` does) and print its QEMU lines. */
export const replayQemu = (session: readonly { input: HostInput }[], devices: readonly DeviceSpec[], vcpus = 2): string[] => {
  const config: HostConfig = { profile: "qemu", devices, vcpuCount: vcpus };
  let s = initialHostState(config);
  const out: string[] = [];
  for (const { input } of session) {
    const r = hostStep(config, s, input);
    s = r.state;
    for (const o of r.outputs) {
      const f = formatQemuTrace(o);
      if (f !== undefined) out.push(f.trimEnd());
    }
  }
  return out;
};

/** The log's vmbus lines as the spec prints them (prefix and trailing space removed). */
export const canonicalLines = (lines: readonly string[]): string[] =>
  lines.filter((l) => parseQemuLine(l).kind === "event").map((l) => l.replace(/^\d+@\d+\.\d+:/, "").replace(/\s+$/, ""));
