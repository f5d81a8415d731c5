/**
 * Regression: the shm fast path (tryWrite / publish / readInto / commit on plain packets) must
 * not allocate. A closure over readInto's locals once made V8 allocate a context object on every
 * call: ~6% of the reader's time went to garbage collection. Counted with V8's GC events: a
 * million packets that allocate even 16 bytes each fill the young generation several times.
 */
import { PerformanceObserver } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { ShmConsumer } from "../../src/shm/consumer.js";
import { createShmRing } from "../../src/shm/handle.js";
import { ShmProducer } from "../../src/shm/producer.js";

const gcsDuring = async (f: () => void): Promise<number> => {
  let count = 0;
  const obs = new PerformanceObserver((list) => {
    count += list.getEntries().length;
  });
  obs.observe({ entryTypes: ["gc"] });
  f();
  await new Promise((r) => setTimeout(r, 50)); // GC entries are delivered asynchronously
  obs.disconnect();
  return count;
};

describe("shm fast path allocates nothing", () => {
  for (const staging of [false, true]) {
    it(`2·10⁶ 64-byte packets written and read${staging ? " through staging areas (memory.copy)" : ""}`, async () => {
      const h = createShmRing(1 << 16, {}, { staging: staging ? 256 : 0 });
      const p = new ShmProducer(h, RING_PROFILES.strict);
      const c = new ShmConsumer(h, RING_PROFILES.strict);
      const src = p.staging ? p.staging.subarray(0, 64) : new Uint8Array(64);
      const dst = c.staging ? c.staging.subarray(0, 72) : new Uint8Array(72);
      const round = (): void => {
        for (let k = 0; k < 64; k++) p.tryWrite(6, 0, k, 0, src);
        p.publish();
        for (let k = 0; k < 64; k++) c.readInto(dst);
        c.commit();
      };
      for (let i = 0; i < 2000; i++) round(); // let the JIT optimise first
      const gcs = await gcsDuring(() => {
        for (let i = 0; i < 32000; i++) round();
      });
      expect(gcs).toBeLessThanOrEqual(3); // the bug: ~20
    });
  }
});
