/**
 * The hostile catalogue's openvmm entries (spec/system/hostile.ts) with length variants on: the
 * three entries the openvmm profile's defects need are posted whole, never cut or padded (the
 * length variants belong to one base per message type, which the plain entries already are).
 */
import { describe, expect, it } from "vitest";
import { hostileCatalogue } from "../../spec/system/hostile.js";

describe("hostileCatalogue with openvmm and lengths", () => {
  it("adds exactly the three openvmm entries, whole, to the catalogue with lengths", () => {
    const withLengths = hostileCatalogue({ knownRelid: 3, lengths: true });
    const both = hostileCatalogue({ knownRelid: 3, lengths: true, openvmm: true });
    const extra = both.filter((e) => !withLengths.some((x) => x.label === e.label));
    expect(extra.map((e) => e.label)).toEqual(["INITIATE_CONTACT 5.0 on conn 4 sint=16", "INITIATE_CONTACT 6.0 features=0x25", "MODIFY_CONNECTION one monitor page"]);
    for (const e of extra) expect(e.payloadSize).toBe(e.payload.length / 2);
  });
});
