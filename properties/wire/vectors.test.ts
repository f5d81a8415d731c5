/** Replays the written wire vectors through io-ts and checks our decoder against them. */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage } from "../../spec/wire/codec.js";
import { reassembleGpadl } from "../../spec/wire/gpadl.js";
import { bytesToHex, hexToBytes } from "../../spec/wire/hex.js";
import { decodePostMessage, decodeSynicSlot } from "../../spec/wire/synic.js";
import { decodeWith, FramingVectorFileJson, GpadlVectorFileJson, MessageVectorFileJson, WireIndexJson } from "../../src/io/vectors.js";
import { writeWireVectors } from "../../src/vectors/wire.js";

const bytes = (h: string): Uint8Array => {
  const r = hexToBytes(h);
  if (!r.ok) throw new Error("bad hex in vector");
  return r.value;
};

let dir = "";
let dir2 = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vmbus-vectors-"));
  dir2 = await mkdtemp(join(tmpdir(), "vmbus-vectors-"));
  await writeWireVectors(dir);
  await writeWireVectors(dir2);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(dir2, { recursive: true, force: true });
});

const load = async (name: string): Promise<unknown> => JSON.parse(await readFile(join(dir, "wire", name), "utf8"));

describe("wire vectors replay", () => {
  it("are deterministic (two runs write identical bytes)", async () => {
    const names = await readdir(join(dir, "wire"));
    expect(names.length).toBeGreaterThan(30);
    for (const n of names) expect(await readFile(join(dir, "wire", n), "utf8"), n).toBe(await readFile(join(dir2, "wire", n), "utf8"));
  });

  it("every message file decodes through io-ts and agrees with the decoder", async () => {
    const idx = decodeWith(WireIndexJson, "index.json", await load("index.json"));
    if (!idx.ok) throw new Error(idx.errors.join("\n"));
    let valid = 0;
    let invalid = 0;
    const types = new Set<number>();
    for (const name of idx.value.files.filter((f) => /^\d\d-/.test(f))) {
      const f = decodeWith(MessageVectorFileJson, name, await load(name));
      if (!f.ok) throw new Error(f.errors.join("\n"));
      types.add(f.value.messageType);
      for (const c of f.value.valid) {
        const d = decodeMessage(bytes(c.hex), c.context);
        expect(d.ok, c.id).toBe(true);
        if (!d.ok) continue;
        expect(d.value.message, c.id).toEqual(c.message);
        expect(d.value.trailingBytes, c.id).toBe(c.trailingBytes);
        if (c.trailingBytes === 0) expect(bytesToHex(encodeMessage(c.message)), c.id).toBe(c.hex);
        valid++;
      }
      for (const c of f.value.invalid) {
        const d = decodeMessage(bytes(c.hex), c.context);
        expect(d.ok ? "ok" : d.error.kind, c.id).toBe(c.error);
        invalid++;
      }
    }
    expect(types.size).toBe(30); // 29 message types + the generic file
    expect(valid).toBeGreaterThan(200);
    expect(invalid).toBeGreaterThan(80);
  });

  it("framing vectors", async () => {
    const f = decodeWith(FramingVectorFileJson, "framing.json", await load("framing.json"));
    if (!f.ok) throw new Error(f.errors.join("\n"));
    for (const c of f.value.synic) {
      const d = decodeSynicSlot(bytes(c.hex));
      expect(d.ok ? true : d.error.kind, c.id).toBe(c.expect.ok ? true : (c.expect as { error: string }).error);
    }
    for (const c of f.value.post) {
      const d = decodePostMessage(bytes(c.hex));
      expect(d.ok ? true : d.error.kind, c.id).toBe(c.expect.ok ? true : (c.expect as { error: string }).error);
    }
  });

  it("GPADL sequences reassemble to the listed ranges", async () => {
    const f = decodeWith(GpadlVectorFileJson, "gpadl.json", await load("gpadl.json"));
    if (!f.ok) throw new Error(f.errors.join("\n"));
    for (const c of f.value.cases) {
      const msgs = c.messages.map((h) => decodeMessage(bytes(h)));
      const decoded = msgs.map((m) => (m.ok ? m.value.message : undefined));
      const [head, ...bodies] = decoded;
      if (head?.type !== "GpadlHeader" || bodies.some((b) => b?.type !== "GpadlBody")) throw new Error(`${c.id}: not a header + bodies`);
      const r = reassembleGpadl(head, bodies as never);
      if (c.expect.ok) expect(r, c.id).toEqual({ ok: true, value: { childRelid: head.childRelid, gpadl: head.gpadl, ranges: c.expect.ranges, ignoredValues: 0 } });
      else expect(r.ok ? "ok" : r.error.kind, c.id).toBe(c.expect.error);
    }
  });

  it("io-ts names the path of a bad field in a vector file", async () => {
    const raw = (await load("05-OpenChannel.json")) as { valid: { hex: string; message: Record<string, unknown> }[] };
    raw.valid[0]!.hex = "zz";
    const bad = decodeWith(MessageVectorFileJson, "05-OpenChannel.json", raw);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^05-OpenChannel\.json\.valid\[0\]\.hex: expected hex string/);
    const raw2 = (await load("05-OpenChannel.json")) as { valid: { message: Record<string, unknown> }[] };
    raw2.valid[0]!.message["userData"] = "00";
    const bad2 = decodeWith(MessageVectorFileJson, "05-OpenChannel.json", raw2);
    expect(bad2.ok).toBe(false);
    if (!bad2.ok) expect(bad2.errors.join("\n")).toContain("OpenChannel.userData: expected 240 hex digits");
  });
});
