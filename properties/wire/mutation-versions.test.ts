/** parseVersion (spec/wire/versions.ts): surrounding blanks are ignored; major and minor are each a u16. */
import { describe, expect, it } from "vitest";
import { parseVersion, Version } from "../../spec/wire/versions.js";

describe("parseVersion (mutation)", () => {
  it("accepts blanks around \"M.m\" and refuses a minor above 0xffff", () => {
    expect(parseVersion(" 5.2\n")).toBe(Version.WIN10_V5_2);
    expect(parseVersion("0.65535")).toBe(0xffff);
    expect(parseVersion("0.65536")).toBeUndefined();
    expect(parseVersion("65536.0")).toBeUndefined();
  });
});
