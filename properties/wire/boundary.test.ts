/**
 * Boundary-length wire vectors: for every message type and form there are cases at the form's
 * size − 1, size and size + 1, and for a multi-form message at every length from its shortest
 * form to its longest (the lengths are derived here from the layouts, not from the generator).
 * A decoder that flips the verdict at any one of those lengths fails some vector.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeMessage, type DecodeContext } from "../../spec/wire/codec.js";
import { hexToBytes } from "../../spec/wire/hex.js";
import { MESSAGE_TABLE, type MessageInfo } from "../../spec/wire/table.js";
import { Version } from "../../spec/wire/versions.js";
import { decodeWith, MessageVectorFileJson } from "../../src/io/vectors.js";
import { writeWireVectors } from "../../src/vectors/wire.js";

type Decoder = typeof decodeMessage;
type VectorFile = Extract<ReturnType<typeof decodeWith<typeof MessageVectorFileJson._A>>, { ok: true }>["value"];

const bytes = (h: string): Uint8Array => {
  const r = hexToBytes(h);
  if (!r.ok) throw new Error("bad hex in vector");
  return r.value;
};

let dir = "";
const FILES = new Map<number, VectorFile>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vmbus-boundary-"));
  await writeWireVectors(dir);
  for (const info of MESSAGE_TABLE) {
    const name = `${String(info.number).padStart(2, "0")}-${info.type}.json`;
    const f = decodeWith(MessageVectorFileJson, name, JSON.parse(await readFile(join(dir, "wire", name), "utf8")));
    if (!f.ok) throw new Error(f.errors.join("\n"));
    FILES.set(info.number, f.value);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The boundary lengths of a message, from its layouts: each form's size ± 1, and every length between its forms. */
const expectedLengths = (info: MessageInfo): Map<string, number[]> => {
  const sizes = info.forms.map((f) => f.layout.size);
  const out = new Map<string, number[]>();
  for (const f of info.forms) {
    const lens = new Set([f.layout.size - 1, f.layout.size, f.layout.size + 1]);
    for (let n = Math.min(...sizes); n <= Math.max(...sizes); n++) lens.add(n);
    out.set(f.form === undefined ? info.type : `${info.type}.${f.form}`, [...lens].filter((n) => n >= 0 && n <= 240));
  }
  return out;
};

/** The ids of the cases of `file` that `decode` does not reproduce. */
const failures = (file: VectorFile, decode: Decoder): string[] => {
  const bad: string[] = [];
  for (const c of file.valid) {
    const d = decode(bytes(c.hex), c.context);
    if (!d.ok || JSON.stringify(d.value.message) !== JSON.stringify(c.message) || d.value.trailingBytes !== c.trailingBytes) bad.push(c.id);
  }
  for (const c of file.invalid) {
    const d = decode(bytes(c.hex), c.context);
    if (d.ok || d.error.kind !== c.error) bad.push(c.id);
  }
  return bad;
};

/** The spec's decoder, except that at `len` bytes of message type `type` (under contexts `when`) the verdict is flipped. */
const flipAt = (type: number, len: number, when: (ctx: DecodeContext) => boolean = () => true): Decoder => (b, ctx = {}) => {
  const real = decodeMessage(b, ctx);
  if (b.length !== len || b.length < 4 || b[0] !== type || b[1] !== 0 || !when(ctx)) return real;
  if (real.ok) return { ok: false, error: { kind: "tooShort", message: "mutant" } };
  // Accept: as the longest form cut short would be, read as the shortest form with trailing bytes.
  return { ok: true, value: { message: { type: "RequestOffers" }, trailingBytes: 0, warnings: [] } } as ReturnType<Decoder>;
};

describe("wire vectors at every boundary length", () => {
  it("exist for every message type and form, and the spec's decoder passes them all", () => {
    let checked = 0;
    for (const info of MESSAGE_TABLE) {
      const file = FILES.get(info.number)!;
      expect(failures(file, decodeMessage), info.type).toEqual([]);
      const cases = [...file.valid, ...file.invalid];
      for (const [formName, lens] of expectedLengths(info))
        for (const len of lens) {
          expect(cases.some((c) => c.id.startsWith(`${formName}/`) && c.hex.length === 2 * len), `${formName} at ${len} bytes`).toBe(true);
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(29 * 3);
  });

  it("OFFERCHANNEL of 190–195 bytes is rejected at 1.1 and later, and accepted at 0.13", () => {
    const f = FILES.get(1)!;
    for (let len = 190; len <= 195; len++) {
      for (const version of [Version.WIN7, Version.WIN10]) {
        const c = f.invalid.find((x) => x.hex.length === 2 * len && x.context.version === version);
        expect(c?.error, `${len} bytes at ${version}`).toBe("tooShort");
      }
      expect(f.valid.some((x) => x.hex.length === 2 * len && x.context.version === Version.WS2008 && x.form === "preWin7"), `${len} bytes at 0.13`).toBe(true);
    }
  });

  it("a decoder that accepts an OFFERCHANNEL of 193 bytes at 1.1 fails some vector", () => {
    const accepts193 = flipAt(1, 193, (ctx) => ctx.version === Version.WIN7);
    expect(failures(FILES.get(1)!, accepts193).length).toBeGreaterThan(0);
  });

  it("a decoder that flips its verdict at any one boundary length of any message fails some vector", () => {
    const missed: string[] = [];
    for (const info of MESSAGE_TABLE) {
      const lens = new Set([...expectedLengths(info).values()].flat());
      for (const len of lens) if (len >= 4 && failures(FILES.get(info.number)!, flipAt(info.number, len)).length === 0) missed.push(`${info.type} at ${len} bytes`);
    }
    expect(missed).toEqual([]);
  });
});
