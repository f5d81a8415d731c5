#!/usr/bin/env node
/**
 * `npm run bench -- [--payload N[,N…]] [--mode busy|signalled|both] [--seconds S] [--json]`
 *
 * Two worker threads stream VMBus packets through a shared-memory ring (src/shm) in busy-poll
 * and signalled mode; baselines in the same run: MessagePort.postMessage (copying, and with a
 * transfer list), the ringbuf.js package at equal payload, and a single-thread Uint8Array.set
 * copy of the same bytes (the copy limit). Every measurement runs --repeat times (default 3) for
 * --seconds each (default 0.5) and keeps the best, because other processes share the cores.
 * Not a test: numbers depend on the machine and its load (reported per row).
 */
import { loadavg } from "node:os";
import { getString, parseArgs, UsageError } from "../cli/args.js";
import { createShmRing } from "../shm/handle.js";
import { newStreamControl, runStream } from "../shm/run.js";
import type { StreamMode } from "../shm/stream.js";
import { copyLimitRate, postMessageRate, ringbufRate, singleThreadRates, type Rate } from "./baselines.js";

const USAGE = "usage: npm run bench -- [--payload N[,N…]] [--mode busy|signalled|both] [--seconds S] [--repeat N] [--json]";
const DEFAULT_PAYLOADS = [0, 64, 256, 1500, 4096, 65536];
const MAX_PAYLOAD = 1 << 20;

interface Options {
  readonly payloads: readonly number[];
  readonly modes: readonly StreamMode[];
  readonly seconds: number;
  /** Each measurement is repeated and the best run kept (other processes share the cores). */
  readonly repeat: number;
  readonly json: boolean;
}

export const parseOptions = (argv: readonly string[]): Options => {
  const a = parseArgs(argv, [
    { name: "payload", kind: "string" },
    { name: "mode", kind: "string" },
    { name: "seconds", kind: "string" },
    { name: "repeat", kind: "string" },
    { name: "json", kind: "boolean" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const p = getString(a, "payload");
  const payloads = p === undefined ? DEFAULT_PAYLOADS : p.split(",").map((s) => {
    if (!/^\d+$/.test(s.trim()) || Number(s) > MAX_PAYLOAD) throw new UsageError(`--payload takes byte counts 0..${MAX_PAYLOAD} separated by commas, got '${s}'`);
    return Number(s);
  });
  const m = getString(a, "mode") ?? "both";
  if (m !== "busy" && m !== "signalled" && m !== "both") throw new UsageError(`--mode must be busy, signalled or both, got '${m}'`);
  const r = getString(a, "repeat") ?? "3";
  if (!/^\d+$/.test(r) || Number(r) < 1 || Number(r) > 100) throw new UsageError(`--repeat must be a whole number from 1 to 100, got '${r}'`);
  const s = getString(a, "seconds") ?? "0.5";
  const seconds = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || !(seconds >= 0.05 && seconds <= 600)) throw new UsageError(`--seconds must be a number from 0.05 to 600, got '${s}'`);
  return { payloads, modes: m === "both" ? ["busy", "signalled"] : [m], seconds, repeat: Number(r), json: a.booleans.has("json") };
};

/** Ring size: room for a deep pipeline of packets, at least 1 MiB. */
const dataSizeFor = (payload: number): number => Math.max(1 << 20, 32 * ((payload + 31) & ~7));
/** Packets per published batch: ~64 KiB of data or 64 packets, whichever is fewer. */
const batchFor = (payload: number): number => Math.max(1, Math.min(64, Math.floor(65536 / (payload + 24))));

interface Row {
  readonly payload: number;
  readonly mode: StreamMode;
  readonly packetsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly signalsPer1000: number;
  /** 1-minute load average when the row was measured: other processes compete for the cores. */
  readonly loadAverage: number;
  readonly baselines: Record<string, { readonly packetsPerSecond: number; readonly ratio: number | null }>;
  /** Write + read in ONE thread (CPU cost per packet, little disturbed by load): ring vs ringbuf.js. */
  readonly singleThread: { readonly packetsPerSecond: number; readonly ringbufJs: number; readonly ratio: number | null };
}

const ratio = (ours: number, base: number): number | null => (base > 0 ? ours / base : null);

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
const fmtRatio = (r: number | null): string => (r === null ? "–" : r >= 10 ? r.toFixed(0) + "×" : r.toFixed(2) + "×");

const main = async (argv: readonly string[]): Promise<number> => {
  let o: Options;
  try {
    o = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const progress = (m: string): void => {
    if (!o.json && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${m}`);
  };
  const rows: Row[] = [];
  for (const payload of o.payloads) {
    const size = dataSizeFor(payload);
    progress(`payload ${payload}: baselines…`);
    const best = async (f: () => Rate | Promise<Rate>): Promise<Rate> => {
      let b: Rate = { packetsPerSecond: 0 };
      for (let i = 0; i < o.repeat; i++) {
        const x = await f();
        if (x.packetsPerSecond > b.packetsPerSecond) b = x;
      }
      return b;
    };
    const baselines: Record<string, Rate> = {
      postMessageCopy: await best(() => postMessageRate(payload, false, o.seconds)),
      postMessageTransfer: await best(() => postMessageRate(payload, true, o.seconds)),
      ringbufJs: await best(() => ringbufRate(payload, size, o.seconds)),
      copyLimit: await best(() => copyLimitRate(payload, size, o.seconds / 2)),
      copyLimitShared: await best(() => copyLimitRate(payload, size, o.seconds / 2, true)),
    };
    let single = { ring: 0, ringbufJs: 0 };
    for (let i = 0; i < o.repeat; i++) {
      const x = await singleThreadRates(payload, size, o.seconds / 2);
      if (x.ring > single.ring) single = { ring: x.ring, ringbufJs: Math.max(x.ringbufJs, single.ringbufJs) };
      else single = { ring: single.ring, ringbufJs: Math.max(x.ringbufJs, single.ringbufJs) };
    }
    for (const mode of o.modes) {
      progress(`payload ${payload}: ring, ${mode}…`);
      let bestRun: Awaited<ReturnType<typeof runStream>> | null = null;
      let bestRate = -1;
      for (let i = 0; i < o.repeat; i++) {
        const run = await runStream(
          { handle: createShmRing(size), profile: "strict", mode, count: 0, payload, maxPayload: payload, batch: batchFor(payload), verify: false, waitTimeoutMs: 100, control: newStreamControl() },
          o.seconds,
        );
        const errors = [...run.producer.errors, ...run.consumer.errors];
        if (errors.length > 0) {
          process.stderr.write(`bench: ring stream failed: ${errors.join("; ")}\n`);
          return 1;
        }
        const rate = run.consumer.seconds > 0 ? (run.consumer.ratePackets ?? 0) / run.consumer.seconds : 0;
        if (rate > bestRate) {
          bestRate = rate;
          bestRun = run;
        }
      }
      const { producer, consumer } = bestRun!;
      const secs = consumer.seconds;
      const pps = secs > 0 ? (consumer.ratePackets ?? 0) / secs : 0;
      const row: Row = {
        payload,
        mode,
        packetsPerSecond: pps,
        bytesPerSecond: secs > 0 ? (payload * (consumer.ratePackets ?? 0)) / secs : 0,
        signalsPer1000: consumer.packets > 0 ? ((producer.signals + consumer.signals) * 1000) / consumer.packets : 0,
        loadAverage: loadavg()[0]!,
        singleThread: { packetsPerSecond: single.ring, ringbufJs: single.ringbufJs, ratio: ratio(single.ring, single.ringbufJs) },
        baselines: Object.fromEntries(Object.entries(baselines).map(([k, v]) => [k, { packetsPerSecond: v.packetsPerSecond, ratio: ratio(pps, v.packetsPerSecond) }])),
      };
      rows.push(row);
      if (o.json) process.stdout.write(JSON.stringify(row) + "\n");
    }
  }
  progress("");
  if (!o.json) {
    const head = ["payload", "mode", "packets/s", "GB/s", "sig/1000", "×postMsg", "×postMsg+xfer", "×ringbuf.js", "÷copy limit", "÷SAB copy", "1-thread ×ringbuf.js", "load"];
    const body = rows.map((r) => [
      String(r.payload),
      r.mode,
      fmt(r.packetsPerSecond),
      (r.bytesPerSecond / 1e9).toFixed(2),
      r.signalsPer1000.toFixed(2),
      fmtRatio(r.baselines.postMessageCopy!.ratio),
      fmtRatio(r.baselines.postMessageTransfer!.ratio),
      fmtRatio(r.baselines.ringbufJs!.ratio),
      r.payload === 0 ? "–" : (r.baselines.copyLimit!.ratio ?? 0).toFixed(2),
      r.payload === 0 ? "–" : (r.baselines.copyLimitShared!.ratio ?? 0).toFixed(2),
      fmtRatio(r.singleThread.ratio),
      r.loadAverage.toFixed(2),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => "| " + cells.map((c, i) => c.padStart(widths[i]!)).join(" | ") + " |";
    process.stdout.write([line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...body.map(line)].join("\n") + "\n");
    const bl = rows.filter((r, i) => rows.findIndex((x) => x.payload === r.payload) === i);
    process.stdout.write("\nbaselines (packets/s): " + bl.map((r) => `${r.payload} B: postMessage ${fmt(r.baselines.postMessageCopy!.packetsPerSecond)}, +transfer ${fmt(r.baselines.postMessageTransfer!.packetsPerSecond)}, ringbuf.js ${fmt(r.baselines.ringbufJs!.packetsPerSecond)}, copy ${fmt(r.baselines.copyLimit!.packetsPerSecond)} (into SAB ${fmt(r.baselines.copyLimitShared!.packetsPerSecond)}), one thread: ring ${fmt(r.singleThread.packetsPerSecond)} vs ringbuf.js ${fmt(r.singleThread.ringbufJs)}`).join("; ") + "\n");
  }
  return 0;
};

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
