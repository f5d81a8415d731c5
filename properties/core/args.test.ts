import { describe, expect, it } from "vitest";
import { getInt, parseArgs, UsageError } from "../../src/cli/args.js";

const specs = [
  { name: "out", kind: "string" as const },
  { name: "json", kind: "boolean" as const },
  { name: "depth", kind: "string" as const },
];

describe("CLI argument parser", () => {
  it("takes --name value, --name=value, booleans and positionals", () => {
    const a = parseArgs(["x", "--out", "dir", "--json", "--depth=3", "y"], specs);
    expect(a.positionals).toEqual(["x", "y"]);
    expect(a.strings.get("out")).toEqual(["dir"]);
    expect(a.booleans.has("json")).toBe(true);
    expect(getInt(a, "depth", 0, 10)).toBe(3);
  });
  it("rejects unknown, duplicated, missing and malformed options", () => {
    expect(() => parseArgs(["--nope"], specs)).toThrow(UsageError);
    expect(() => parseArgs(["--out", "a", "--out", "b"], specs)).toThrow(/more than once/);
    expect(() => parseArgs(["--out"], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(["--json=1"], specs)).toThrow(/takes no value/);
    expect(() => getInt(parseArgs(["--depth", "1e3"], specs), "depth", 0, 10)).toThrow(/whole number from 0 to 10/);
    expect(() => getInt(parseArgs(["--depth", "11"], specs), "depth", 0, 10)).toThrow(UsageError);
  });
  it("treats everything after -- as positional", () => {
    expect(parseArgs(["--", "--json"], specs).positionals).toEqual(["--json"]);
  });
});
