/**
 * RING-LIVE-1's report names exactly who is stuck (issue 13): the writer alone, the reader alone,
 * or neither side with work left, on hand-built states of the access-level model
 * (spec/ring/access.ts).
 */
import { describe, expect, it } from "vitest";
import { accessSuccessors, initialAccessState, lostWakeUp, type AccessConfig, type AccessState } from "../../spec/ring/access.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";

const c: AccessConfig = { profile: RING_PROFILES.strict, dataSize: 64, packets: [48, 48] };
/** Both sides asleep, no interrupt pending: nobody can move. */
const asleep = (next: Partial<AccessState>): AccessState => ({ ...initialAccessState(), rPc: "asleep", wPc: "asleep", readerInterrupt: false, writerInterrupt: false, ...next });

describe("RING-LIVE-1: the lost wake-up names the side that sleeps with work", () => {
  it("only the writer: an empty ring, the writer waiting for its second packet", () => {
    const s = asleep({ writeIndex: 48, readIndex: 48, wPacket: 1, rPacket: 1, pendingSendSize: 49 });
    expect(accessSuccessors(c, s)).toEqual([]);
    expect(lostWakeUp(c, s)).toBe("the writer sleeps waiting for 48 bytes with 64 free (pending_send_sz 49)");
  });
  it("only the reader: 48 bytes published, the writer done", () => {
    const s = asleep({ wPc: "done", writeIndex: 48, readIndex: 0, wPacket: 2, rPacket: 0 });
    expect(lostWakeUp(c, s)).toBe("the reader sleeps with 48 bytes to read");
  });
  it("both: the reader with 48 bytes to read and the writer waiting", () => {
    const s = asleep({ writeIndex: 48, readIndex: 0, wPacket: 1, pendingSendSize: 49 });
    expect(lostWakeUp(c, s)).toBe("the reader sleeps with 48 bytes to read; the writer sleeps waiting for 48 bytes with 16 free (pending_send_sz 49)");
  });
  it("neither sleeps with work it could see: the writer done, the ring empty, a packet never read", () => {
    const s = asleep({ wPc: "done", writeIndex: 48, readIndex: 48, wPacket: 2, rPacket: 1 });
    expect(lostWakeUp(c, s)).toBe("both sides sleep with work left");
  });
  it("a sleeping side with its interrupt raised can move: no lost wake-up", () => {
    expect(lostWakeUp(c, asleep({ writeIndex: 48, readIndex: 0, wPacket: 1, readerInterrupt: true }))).toBeNull();
    expect(lostWakeUp(c, asleep({ writeIndex: 48, readIndex: 48, wPacket: 1, rPacket: 1, writerInterrupt: true }))).toBeNull();
  });
});
