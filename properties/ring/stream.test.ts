/**
 * Two real worker threads streaming ≥ 10⁶ packets of random sizes and types through a shared
 * ring (busy-polling and signalled): nothing lost, duplicated, reordered or corrupted (every
 * payload byte and padding byte checked, plus a checksum), no lost wake-up (a bounded
 * Atomics.wait that times out while work is available and no signal came), and signal counts
 * within the profile's rules. Loads the compiled workers from dist/ (`npm test` builds first).
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { StreamConfig } from "../../src/shm/stream.js";

// Workers must run compiled JS, so the harness is loaded from dist/ too (same module instances).
const handleJs: string = "../../dist/src/shm/handle.js";
const runJs: string = "../../dist/src/shm/run.js";

const built = existsSync(new URL("../../dist/src/shm/stream-worker.js", import.meta.url));

/** maxPayload: random payload sizes 0..maxPayload; staging: payloads go through the endpoints' staging areas (memory.copy). */
const stream = async (mode: "busy" | "signalled", count: number, dataSize: number, profile: StreamConfig["profile"], waitTimeoutMs: number, maxPayload = 64, staging = false) => {
  const { createShmRing } = (await import(handleJs)) as typeof import("../../src/shm/handle.js");
  const { newStreamControl, runStream } = (await import(runJs)) as typeof import("../../src/shm/run.js");
  const handle = createShmRing(dataSize, {}, { staging: staging ? maxPayload + 64 : 0 });
  const config: StreamConfig = { handle, profile, mode, count, payload: -1, maxPayload, batch: -1, verify: true, waitTimeoutMs, control: newStreamControl() };
  return runStream(config);
};

const run = async (mode: "busy" | "signalled", count: number, dataSize: number, profile: StreamConfig["profile"] = "strict", maxPayload = 64, staging = false) => {
  const { producer, consumer } = await stream(mode, count, dataSize, profile, 2000, maxPayload, staging);
  expect(producer.errors).toEqual([]);
  expect(consumer.errors).toEqual([]);
  expect(producer.packets).toBe(count);
  expect(consumer.packets).toBe(count);
  expect(consumer.checksum).toBe(producer.checksum);
  expect(producer.lostWakeups).toBe(0);
  expect(consumer.lostWakeups).toBe(0);
  // RING-WRITE-6 (signal only on empty → non-empty): each signal needs a distinct commit that
  // emptied the ring, or the initial empty ring.
  expect(producer.signals).toBeLessThanOrEqual(consumer.commits + 1);
  expect(producer.signals).toBeLessThanOrEqual(producer.batches);
  // RING-READ-4 (signal only when the free space crosses pending_send_sz): at most one per wait.
  expect(consumer.signals).toBeLessThanOrEqual(producer.waits);
  return { producer, consumer };
};

describe("two worker threads on one shared ring", () => {
  it("runs on the compiled workers (npm test builds first)", () => {
    expect(built).toBe(true);
  });
  it("signalled: 10⁶ packets, random sizes 0–64 and types, small ring so the writer waits for space", async () => {
    const { producer, consumer } = await run("signalled", 1_000_000, 4096);
    expect(producer.waits).toBeGreaterThan(0); // the full-ring path was exercised
    expect(consumer.signals).toBeGreaterThan(0);
  });
  it("busy-polling: 10⁶ packets", async () => {
    await run("busy", 1_000_000, 65536);
  });
  it("staging areas (memory.copy into and out of the ring), payloads 0–2000 bytes: 2·10⁵ packets busy and signalled", async () => {
    await run("busy", 200_000, 16384, "strict", 2000, true);
    await run("signalled", 200_000, 16384, "strict", 2000, true);
  });
  it("signalled under the linux and openvmm profiles: 2·10⁵ packets each", async () => {
    await run("signalled", 200_000, 4096, "linux");
    await run("signalled", 200_000, 4096, "openvmm");
  });
  it("the lost-wake-up detector works: QEMU's reader (free space 0 on a drained ring, QEMU quirk Q13) strands a waiting writer", async () => {
    const { producer, consumer } = await stream("signalled", 30_000, 4096, "qemu", 10);
    expect(consumer.errors).toEqual([]);
    expect(consumer.packets).toBe(30_000);
    expect(producer.lostWakeups).toBeGreaterThan(0);
  });
});
