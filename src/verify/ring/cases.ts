/**
 * The deterministic sessions: (1) the ring conformance vectors (src/vectors/ring-cases.ts) that
 * the CLI interface can express, (2) sessions aimed at each RING rule that the vectors do not
 * reach through the CLI (a refused init, typed packets written and read back, feature bits,
 * the exactly-full boundary with pending_send_sz and the reader's wake-up).
 */
import type { ProfileName } from "../../../spec/profiles.js";
import { bytesToHex } from "../../../spec/wire/hex.js";
import type { Packet } from "../../../spec/wire/packet.js";
import { RING_CASES, type RingCase, type RingOp } from "../../vectors/ring-cases.js";
import { ringCaseFile } from "../../vectors/ring.js";
import type { ControlPatch, PacketLine, Session, Step } from "./session.js";
import { payloadHex } from "./symbolic.js";

/** A spec Packet as the `write` input line the verifier sends (every field explicit). */
export const lineOfPacket = (p: Packet): PacketLine => {
  const base = { type: p.type, flags: p.flags, transId: p.transId, payload: bytesToHex(p.payload) };
  if (p.body.kind === "gpaDirect") return { ...base, reserved: p.body.reserved, ranges: p.body.ranges.map((r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset, pfns: [...r.pfns] })) };
  if (p.body.kind === "transferPage")
    return { ...base, transferPageSetId: p.body.transferPageSetId, senderOwnsSet: p.body.senderOwnsSet, reserved: p.body.reserved, ranges: p.body.ranges.map((r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset })) };
  return base;
};

/** A vector operation as CLI steps, or null when the CLI cannot express it. */
const stepsOfOp = (op: RingOp): Step[] | null => {
  switch (op.op) {
    case "write":
      return op.waitIfFull === false ? null : [{ op: "write", batch: true, packets: op.packets.map(lineOfPacket) }];
    case "read":
      return [{ op: "read", max: op.max }];
    case "peek":
      return op.cursor === undefined ? [{ op: "show" }] : null;
    case "setPendingSendSize":
      return [{ op: "patch", control: { pendingSendSize: op.value } }];
    case "peer":
      return [{ op: "patch", control: op.control }];
    // hv_begin_read / hv_end_read store interrupt_mask; their re-check (RING-READ-5) is not observable through the CLI.
    case "beginRead":
      return [{ op: "patch", control: { interruptMask: 1 } }];
    case "endRead":
      return [{ op: "patch", control: { interruptMask: 0 } }];
    case "commit":
      return null;
  }
};

/** The vector case as a session (init with its control fields, its data area patched in), or null. */
export const vectorSession = (c: RingCase, profile: ProfileName): Session | null => {
  const ops = c.ops.map(stepsOfOp);
  if (ops.some((s) => s === null)) return null;
  const initial = ringCaseFile(c, profile).initial;
  const dataSize = initial.data.length / 2;
  return {
    origin: `vector ring/${profile}/${c.id}`,
    steps: [{ op: "init", dataSize, control: initial.control }, { op: "patch", at: 0, hex: initial.data }, ...ops.flatMap((s) => s!)],
  };
};

export const vectorSessions = (profile: ProfileName): { sessions: Session[]; skipped: string[] } => {
  const sessions: Session[] = [];
  const skipped: string[] = [];
  for (const c of RING_CASES) {
    if (c.profiles && !c.profiles.includes(profile)) continue;
    const s = vectorSession(c, profile);
    if (s) sessions.push(s);
    else skipped.push(c.id);
  }
  return { sessions, skipped };
};

// ---- rule sessions -------------------------------------------------------------------------

const plain = (n: number, seed: number, type = 6): PacketLine => ({ type, flags: seed & 1, transId: String(1000 + seed), payload: payloadHex(n, seed) });
const fill = (size: number): Step => ({ op: "patch", at: 0, hex: bytesToHex(Uint8Array.from({ length: size }, (_, i) => ((i * 13 + 0x21) & 0xff) | 1)) });
const init = (dataSize: number, control: ControlPatch = {}): Step => ({ op: "init", dataSize, control });

/** Sessions aimed at rules, each named by the rules it targets. */
export const ruleSessions = (): Session[] => [
  { origin: "rule RING-GEOM-1: init refuses a data size that is not a multiple of 8", steps: [{ op: "init", dataSize: 100 }] },
  { origin: "rule RING-GEOM-1: init refuses a data size below 64", steps: [{ op: "init", dataSize: 56 }] },
  {
    origin: "rules RING-WRITE-1/4/5/6, RING-READ-2/4: packets of every padding length, wrapping, read back one by one",
    steps: [init(200, { writeIndex: 136, readIndex: 136 }), fill(200), { op: "write", packets: [0, 1, 7, 8, 9, 15].map((n, i) => plain(n, i)) }, { op: "show" }, { op: "read", max: 2 }, { op: "read" }],
  },
  {
    origin: "rules RING-WRITE-1/7, RING-READ-4: the exactly-full boundary, pending_send_sz stored and cleared, the reader's wake-up",
    steps: [
      init(128),
      fill(128),
      { op: "write", packets: [plain(8, 1), plain(8, 2), plain(8, 3)] },
      { op: "write", packets: [plain(0, 4), plain(0, 5)] },
      { op: "read", max: 1 },
      { op: "write", packets: [plain(8, 6)] },
      { op: "read" },
    ],
  },
  {
    origin: "rule RING-WRITE-3: a packet larger than any ring of this size can hold is a fault, not full",
    steps: [init(128), { op: "write", packets: [plain(104, 1), plain(96, 2)] }, { op: "read" }],
  },
  {
    origin: "rule RING-WRITE-6: interrupt_mask set, cleared, a ring that was not empty, drained, empty again",
    steps: [
      init(256),
      { op: "patch", control: { interruptMask: 1 } },
      { op: "write", packets: [plain(8, 1)] },
      { op: "patch", control: { interruptMask: 0 } },
      { op: "write", packets: [plain(8, 2)], batch: true },
      { op: "read" },
      { op: "write", packets: [plain(8, 3), plain(8, 4)], batch: true },
      { op: "write", packets: [plain(8, 5)] },
    ],
  },
  {
    origin: "rule RING-READ-4: feature bit 0 clear and interrupt_mask set on the ring read, with pending_send_sz",
    steps: [
      init(128, { featureBits: 0 }),
      { op: "write", packets: [plain(8, 1), plain(8, 2), plain(8, 3)] },
      { op: "patch", control: { pendingSendSize: 40 } },
      { op: "read", max: 1 },
      { op: "patch", control: { featureBits: 1, interruptMask: 1, pendingSendSize: 60 } },
      { op: "read", max: 1 },
      { op: "patch", control: { interruptMask: 0, pendingSendSize: 100 } },
      { op: "read" },
    ],
  },
  {
    origin: "rules RING-PKT-5..8, RING-READ-3: GPA-direct and transfer-page packets written and read back",
    steps: [
      init(512),
      {
        op: "write",
        packets: [
          { type: 9, flags: 1, transId: "18446744073709551615", payload: payloadHex(5, 1), reserved: 0, ranges: [{ byteCount: 10, byteOffset: 4090, pfns: ["1", "2"] }] },
          { type: 9, flags: 0, transId: "7", payload: "", reserved: 3, ranges: [{ byteCount: 4096, byteOffset: 0, pfns: ["4294967296"] }, { byteCount: 1, byteOffset: 0, pfns: ["5"] }] },
          { type: 7, flags: 0, transId: "8", payload: payloadHex(3, 2), transferPageSetId: 2, senderOwnsSet: 1, reserved: 0, ranges: [{ byteCount: 100, byteOffset: 4 }] },
          plain(4, 9, 11),
        ],
      },
      { op: "show" },
      { op: "read" },
    ],
  },
  {
    origin: "rules RING-IDX-1/2: the writer checks read_index, the reader write_index",
    steps: [
      init(128, { readIndex: 128 }),
      { op: "write", packets: [plain(8, 1)] },
      { op: "patch", control: { readIndex: 4 } },
      { op: "write", packets: [plain(8, 2)], batch: true },
      { op: "patch", control: { readIndex: 0, writeIndex: 0xfffffff8 } },
      { op: "read" },
      { op: "patch", control: { writeIndex: 12 } },
      { op: "show" },
    ],
  },
];
