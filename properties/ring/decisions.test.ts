/**
 * The ring's decisions at their boundaries, one rule each (found by mutation testing of
 * spec/ring: conditions that no test observed; docs/testing.md).
 */
import { describe, expect, it } from "vitest";
import { PROFILE_NAMES } from "../../spec/profiles.js";
import { accessConfigProblem, accessSuccessors, initialAccessState, type AccessConfig, type AccessState } from "../../spec/ring/access.js";
import { readWrapped, writeWrapped } from "../../spec/ring/bytes.js";
import { checkIndex, isValidDataSize, maxPacketTotal, readerShouldSignal } from "../../spec/ring/decide.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { peekAt } from "../../spec/ring/reader.js";
import { CONTROL_PAGE_SIZE, emptyControl, makeRing, ringFromImage, ringToImage, type Ring } from "../../spec/ring/state.js";
import { writePacket } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const ring = (size: number): Ring => {
  const r = makeRing(size);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const packet = (type: number, n: number): Packet => ({ type, flags: 0, transId: "7", body: { kind: "plain" }, payload: new Uint8Array(n).fill(0xab) });

describe("RING-GEOM-1 and RING-IDX-1/-2 at their bounds", () => {
  it("a data size is valid from 64 bytes, in multiples of 8, up to 0x7FFFFFF8", () => {
    expect([56, 60, 64, 68, 72, 0x7fff_fff8, 0x7fff_fff8 + 8, -8, 64.5, Number.NaN].map(isValidDataSize)).toEqual([false, false, true, false, true, true, false, false, false, false]);
  });
  it("an index is valid in [0, size) and 8-aligned", () => {
    expect(checkIndex("writeIndex", 0, 64)).toBeNull();
    expect(checkIndex("writeIndex", 56, 64)).toBeNull();
    expect(checkIndex("writeIndex", 64, 64)).toEqual({ kind: "indexOutOfRange", rule: "RING-IDX-1", field: "writeIndex", value: 64, dataSize: 64 });
    expect(checkIndex("readIndex", -8, 64)).toMatchObject({ rule: "RING-IDX-1", field: "readIndex" });
    expect(checkIndex("readIndex", 60, 64)).toEqual({ kind: "indexMisaligned", rule: "RING-IDX-2", field: "readIndex", value: 60 });
  });
});

describe("RING-WRITE-3: the largest packet", () => {
  it("is bounded by the ring and, on rings above 512 KiB, by len8's 16 bits", () => {
    for (const name of PROFILE_NAMES) {
      const p = RING_PROFILES[name];
      expect(maxPacketTotal(p, 4096)).toBeLessThan(4096);
      expect(maxPacketTotal(p, 1 << 20)).toBe(0xffff * 8 + 8);
    }
    const big = ring(1 << 20);
    expect(writePacket(big, packet(PacketType.DataInBand, 0xffff * 8 - 16), RING_PROFILES.strict).outcome.kind).toBe("written");
    expect(writePacket(big, packet(PacketType.DataInBand, 0xffff * 8 - 8), RING_PROFILES.strict).outcome).toMatchObject({ kind: "fault", fault: { rule: "RING-WRITE-3" } });
  });
});

describe("wrap-around copies (two pieces)", () => {
  it("a copy that ends exactly at the end of the data area does not wrap; one byte more does", () => {
    const d = new Uint8Array(16);
    writeWrapped(d, 8, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect([...d]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    writeWrapped(d, 12, Uint8Array.from([9, 10, 11, 12, 13]));
    expect([...d]).toEqual([13, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 9, 10, 11, 12]);
    expect([...readWrapped(d, 8, 8)]).toEqual([1, 2, 3, 4, 9, 10, 11, 12]);
    expect([...readWrapped(d, 12, 5)]).toEqual([9, 10, 11, 12, 13]);
    expect([...readWrapped(d, 0, 16)]).toEqual([...d]);
  });
});

describe("RING-READ-3: packet types a reader accepts", () => {
  for (const name of PROFILE_NAMES) {
    it(`${name}: exactly its accepted types (any, when it has no list), types ≥ 32 included`, () => {
      const p = RING_PROFILES[name];
      for (const type of [0, 1, 6, 7, 8, 9, 10, 11, 12, 31, 32, 33, 0xffff]) {
        const r = writePacket(ring(256), packet(type, 8), RING_PROFILES.dpdk).ring;
        const out = peekAt(r, 0, p);
        const accepted = p.acceptedTypes === null || p.acceptedTypes.includes(type);
        if (accepted && (type === PacketType.DataUsingGpaDirect || type === PacketType.DataUsingTransferPages) && p.parsesTypedHeaders) continue; // a plain body is not a typed header
        expect({ type, kind: out.kind === "fault" ? out.fault.rule : out.kind }).toEqual({ type, kind: accepted ? "packet" : "RING-READ-3" });
      }
    });
  }
});

describe("RING-READ-4: the reader's decision to signal the writer", () => {
  const args = { bytesRead: 64, newR: 64, w: 64, pending: 40, size: 256 };
  const decide = (name: (typeof PROFILE_NAMES)[number], mask: number, featureBits: number, pending = args.pending) =>
    readerShouldSignal(RING_PROFILES[name], args.bytesRead, args.newR, args.w, pending, mask, featureBits, args.size);
  it("nothing read: no signal; no pending_send_sz: no signal", () => {
    for (const name of PROFILE_NAMES) {
      expect(readerShouldSignal(RING_PROFILES[name], 0, 64, 64, 40, 0, 1, 256)).toBe(false);
      expect(decide(name, 0, 1, 0)).toBe(false);
    }
  });
  it("interrupt_mask suppresses the signal only where the profile says so (qemu)", () => {
    for (const name of PROFILE_NAMES) expect({ name, signal: decide(name, 1, 1) }).toEqual({ name, signal: RING_PROFILES[name].interruptMask === "suppress" ? false : decide(name, 0, 1) });
  });
  it("without the pending_send_sz feature bit: suppressed (strict, linux, dpdk), forced (qemu) or ignored (openvmm)", () => {
    const want = { suppress: false, force: true, ignore: decide("openvmm", 0, 1) } as const;
    for (const name of PROFILE_NAMES) expect({ name, signal: decide(name, 0, 0) }).toEqual({ name, signal: want[RING_PROFILES[name].featureBitClear] });
    // forced even with nothing pending_send_sz-worthy to free
    expect(decide("qemu", 0, 0, 0)).toBe(true);
  });
});

describe("ring images (control page + data)", () => {
  it("round-trip every control field byte by byte, and keep the other bytes of the original control page", () => {
    const r: Ring = { control: { writeIndex: 0x01020304, readIndex: 0x05060708, interruptMask: 0x090a0b0c, pendingSendSize: 0x0d0e0f10, featureBits: 0x11121314 }, data: Uint8Array.from({ length: 64 }, (_, i) => i + 1) };
    const page = new Uint8Array(CONTROL_PAGE_SIZE).fill(0xee);
    const image = ringToImage(r, page);
    expect([...image.subarray(0, 20)]).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 0xee, 0xee, 0xee, 0xee]);
    expect([...image.subarray(64, 68)]).toEqual([0x14, 0x13, 0x12, 0x11]);
    expect(image[100]).toBe(0xee);
    expect([...image.subarray(CONTROL_PAGE_SIZE)]).toEqual([...r.data]);
    const back = ringFromImage(image);
    expect(back.ok && back.value).toEqual(r);
    // the data is a copy, not a view of the image
    if (back.ok) {
      image[CONTROL_PAGE_SIZE] = 99;
      expect(back.value.data[0]).toBe(1);
    }
    expect(ringToImage({ control: emptyControl, data: new Uint8Array(64) })[100]).toBe(0);
  });
  it("an image without a valid data area after the 4 KiB control page is RING-GEOM-1", () => {
    expect(ringFromImage(new Uint8Array(CONTROL_PAGE_SIZE + 56))).toEqual({ ok: false, error: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 56 } });
    expect(ringFromImage(new Uint8Array(100))).toEqual({ ok: false, error: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 100 - CONTROL_PAGE_SIZE } });
    expect(ringFromImage(new Uint8Array(CONTROL_PAGE_SIZE + 64)).ok).toBe(true);
  });
});

describe("the access-level model (ring-check) step by step", () => {
  const c: AccessConfig = { profile: RING_PROFILES.strict, dataSize: 64, packets: [24] };
  it("refuses configurations that cannot run: data size and packet totals at their bounds", () => {
    expect(accessConfigProblem(c)).toBeNull();
    expect(accessConfigProblem({ ...c, dataSize: 56 })).toMatch(/data size 56/);
    expect(accessConfigProblem({ ...c, dataSize: 68 })).toMatch(/data size 68/);
    expect(accessConfigProblem({ ...c, packets: [24, 16] })).toMatch(/packet total 16/);
    expect(accessConfigProblem({ ...c, packets: [28] })).toMatch(/packet total 28/);
    expect(accessConfigProblem({ ...c, packets: [64] })).toMatch(/packet total 64 can never fit a 64-byte ring/);
    expect(accessConfigProblem({ ...c, packets: [48] })).toBeNull();
  });
  it("two packets, the writer first whenever it can move: every access in order (waiting, pending_send_sz, both signals, masking, wrap), and the state it leaves", () => {
    const cfg: AccessConfig = { ...c, packets: [24, 48] };
    let s: AccessState = initialAccessState();
    const log: string[] = [];
    for (let i = 0; i < 60; i++) {
      const next = accessSuccessors(cfg, s);
      const pick = next.find((n) => n.step.side === "writer") ?? next[0];
      if (!pick) break;
      expect(pick.violation).toBeUndefined();
      log.push(`${pick.step.side}: ${pick.step.action}`);
      s = pick.state;
    }
    expect(log).toEqual([
      "writer: load read_index = 0 (packet 0 of 24 bytes fits)",
      "writer: store the 24 bytes of packet 0",
      "writer: store write_index = 24",
      "writer: load interrupt_mask = 0",
      "writer: load read_index = 0: signal the reader",
      "writer: load read_index = 0 (packet 1 of 48 bytes does not fit)",
      "writer: store pending_send_sz = 49",
      "writer: load read_index = 0 (re-check: still full: sleep)",
      "reader: woken by the writer's signal",
      "reader: store interrupt_mask = 1",
      "reader: load write_index = 24",
      "reader: read packet 0",
      "reader: store read_index = 24",
      "reader: load pending_send_sz = 49",
      "reader: load write_index = 24: signal the writer",
      "writer: woken by the reader's signal",
      "writer: load read_index = 24 (packet 1 of 48 bytes fits)",
      "writer: store the 48 bytes of packet 1",
      "writer: store write_index = 8",
      "writer: load interrupt_mask = 1",
      "writer: load read_index = 24: no signal",
      "writer: store pending_send_sz = 0",
      "reader: load write_index = 8",
      "reader: read packet 1",
      "reader: store read_index = 8",
      "reader: load pending_send_sz = 0",
      "reader: load write_index = 8: no signal",
      "reader: load write_index = 8 (empty)",
      "reader: store interrupt_mask = 0",
      "reader: load write_index = 8 (re-check: still empty: sleep)",
    ]);
    expect(s).toEqual({
      writeIndex: 8, readIndex: 8, interruptMask: 0, pendingSendSize: 0, dataStored: 2, readerInterrupt: false, writerInterrupt: false,
      wPc: "done", wPacket: 2, wReadIndex: 24, wOldWrite: 24, wMask: 1, wWaited: false,
      rPc: "asleep", rPacket: 2, rWriteIndex: 8, rPending: 0, rBytesRead: 48,
    });
    expect(accessSuccessors(cfg, s)).toEqual([]);
  });
});
