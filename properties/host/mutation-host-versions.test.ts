/**
 * versionAccepted (spec/host/profiles.ts) under QEMU's range policy planted in a queue-model host:
 * any 0 < v ≤ maxVersion, listed or not (HOST-CONNECT-2), against strict's exact list (HOST-CONNECT-3).
 */
import { describe, expect, it } from "vitest";
import { Harness, config, initiate } from "./helpers.js";

const verdict = (h: Harness, v: number): string => {
  h.send(initiate(v));
  const r = h.settle().find((m) => m.type === "VersionResponse");
  h.step({ kind: "reset" });
  return r && r.type === "VersionResponse" ? (r.versionSupported ? "accepted" : "refused") : "none";
};

describe("HOST-CONNECT-2: the range policy", () => {
  it("strict with versionPolicy range and maxVersion 4.0 accepts an unlisted 3.5 and 4.0, refuses 0 and 4.1", () => {
    const h = new Harness(config("strict", { parameters: { versionPolicy: "range", maxVersion: 0x40000 } }));
    expect([0x30005, 0x40000, 0, 0x40001].map((v) => verdict(h, v))).toEqual(["accepted", "accepted", "refused", "refused"]);
    const exact = new Harness(config("strict"));
    expect(verdict(exact, 0x30005)).toBe("refused");
    expect(verdict(exact, 0x40000)).toBe("accepted");
  });
});
