/**
 * Hand-mutated Linux tracefs logs are rejected at the line the Linux-like guest could not have
 * printed, with the guest rule that decides it; and no single dropped or changed line is
 * rejected before the line it touched.
 */
import { describe, expect, it } from "vitest";
import { walkSystem } from "../../src/trace/generate.js";
import { linesOf } from "../../src/trace/lines.js";
import { checkLinuxLines } from "../../src/trace/linux/check.js";
import { linuxTraceFileOf } from "../../src/trace/linux/format.js";
import { systemConfig } from "./helpers.js";

const check = (lines: readonly string[]) => checkLinuxLines(linesOf(lines));
const LOG = linuxTraceFileOf(walkSystem(systemConfig({ channels: 1, buffers: 1 }), 5, 300));
const find = (text: string, from = 0): number => LOG.findIndex((l, i) => i >= from && l.includes(text));
const replace = (i: number, f: (l: string) => string): string[] => LOG.map((l, j) => (j === i ? f(l) : l));

describe("mutated Linux tracefs logs", () => {
  it("the unmutated log is accepted", async () => {
    expect(LOG.some((l) => l.includes("vmbus_open: "))).toBe(true);
    expect((await check(LOG)).verdict).toBe("accepted");
  });

  it("versions tried out of Linux's order are rejected at the first wrong INITIATE_CONTACT (GUEST-VERSION-1)", async () => {
    const i = find("vmbus_negotiate_version: ");
    const v = await check(replace(i, (l) => l.replace(/vmbus_version_requested \d+/, "vmbus_version_requested 262144")));
    expect(v).toMatchObject({ verdict: "rejected", lineNo: i + 1 });
    if (v.verdict === "rejected") expect(v.rules).toContain("GUEST-VERSION-1");
  });

  it("an OPENCHANNEL with another open id is rejected at its line (GUEST-OPEN-1)", async () => {
    const i = find("vmbus_open: ");
    const v = await check(replace(i, (l) => l.replace(/openid (\d+)/, (_, n) => `openid ${Number(n) + 1}`)));
    expect(v).toMatchObject({ verdict: "rejected", lineNo: i + 1 });
    if (v.verdict === "rejected") expect(v.rules).toContain("GUEST-OPEN-1");
  });

  it("REQUESTOFFERS without an accepted version is rejected at its line", async () => {
    const i = find("vmbus_onversion_response: version_supported 1");
    const v = await check(replace(i, (l) => l.replace("version_supported 1", "version_supported 0")));
    const j = find("vmbus_request_offers: ");
    expect(v.verdict).toBe("rejected");
    if (v.verdict === "rejected") expect(v.lineNo).toBeLessThanOrEqual(j + 1);
  });

  it("a GPADL for a channel that was never offered is rejected at its line", async () => {
    const i = find("vmbus_establish_gpadl_header: ");
    const v = await check(replace(i, (l) => l.replace(/child_relid 0x[0-9a-f]+/, "child_relid 0x7f")));
    expect(v).toMatchObject({ verdict: "rejected", lineNo: i + 1 });
  });

  it("no dropped or changed line is rejected before the line it touched", async () => {
    const events = LOG.map((_, i) => i).filter((i) => !LOG[i]!.startsWith("#"));
    let rejected = 0;
    for (const i of events) {
      const dropped = await check(LOG.filter((_, j) => j !== i));
      if (dropped.verdict === "rejected") (rejected++, expect(dropped.lineNo, `drop line ${i + 1}`).toBeGreaterThanOrEqual(i + 1));
      else expect(dropped.verdict).toBe("accepted");
      const bumped = await check(replace(i, (l) => l.replace(/(ret|msgtype=|gpadl 0x)(-?\d+|[0-9a-f]+)$/, (_, k, n) => `${k}${k === "gpadl 0x" ? (parseInt(n, 16) + 1).toString(16) : Number(n) + 1}`)));
      if (bumped.verdict === "rejected") (rejected++, expect(bumped.lineNo, `change line ${i + 1}`).toBeGreaterThanOrEqual(i + 1));
      else expect(bumped.verdict).toBe("accepted");
    }
    expect(rejected).toBeGreaterThan(events.length);
  });
});
