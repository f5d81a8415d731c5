/**
 * The real QEMU 7.2 + Linux 6.1 log (properties/trace/fixtures, see docs/trace.md) is accepted,
 * in every textual variant QEMU writes; hand-made mutations are rejected at the right line with
 * the right rule, or shown to be allowed by a session that replays to them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalLines, checkQemu, replayQemu } from "./helpers.js";

const REAL = readFileSync(new URL("./fixtures/qemu-7.2-linux-6.1-boot.log", import.meta.url), "utf8").split("\n").filter((l) => l !== "");

const mutate = (i: number, text: string | null): string[] => {
  const out = [...REAL];
  if (text === null) out.splice(i - 1, 1);
  else out[i - 1] = text;
  return out;
};
const body = (i: number): string => REAL[i - 1]!.replace(/^\d+@\d+\.\d+:/, "");

describe("the real QEMU 7.2 log", () => {
  it("is accepted: 38 events, 8 guest messages, no devices, and the reconstruction replays to it", async () => {
    expect(REAL).toHaveLength(38);
    const v = await checkQemu(REAL, { vcpus: 1 });
    expect(v).toMatchObject({ verdict: "accepted", events: 38, guestMessages: 8 });
    if (v.verdict !== "accepted") return;
    expect(replayQemu(v.session!, [], 1)).toEqual(canonicalLines(REAL));
    // The reconstructed INITIATE_CONTACTs carry exactly the logged version and pages.
    const first = v.session![0]!.input;
    expect(first).toMatchObject({ kind: "postMessage", payloadSize: 40, payload: "0e00000000000000010004000000000000409b020000000000d032030000000000f0320300000000" });
  });

  it("is accepted without the PID@time prefix, without the trailing space, with CRLF and with noise lines", async () => {
    const variants = [
      REAL.map((l) => l.replace(/^\d+@\d+\.\d+:/, "")),
      REAL.map((l) => l.replace(/\s+$/, "")),
      REAL.map((l) => `${l}\r`),
      REAL.flatMap((l, i) => (i % 5 === 0 ? ["qemu-system-x86_64: warning: host doesn't support requested feature", "123@1.5:kvm_run_exit cpu_index 0, reason 2", l] : [l])),
    ];
    for (const v of variants) expect((await checkQemu(v, { vcpus: 1 })).verdict).toBe("accepted");
  });

  it("a refused version's response changed to another type is rejected at that line (HOST-CONNECT-2)", async () => {
    const v = await checkQemu(mutate(4, body(4).replace("type 15", "type 16")), { vcpus: 1 });
    expect(v).toMatchObject({ verdict: "rejected", lineNo: 4 });
    if (v.verdict !== "rejected") return;
    expect(v.expected.map((e) => e.description)).toContain("vmbus_post_msg type 15 size 12");
    expect(v.rules).toContain("HOST-CONNECT-2");
  });

  it("dropping vmbus_terminate_offers is rejected at the ALLOFFERS_DELIVERED post (HOST-OFFER-1)", async () => {
    const v = await checkQemu(mutate(13, null), { vcpus: 1 });
    expect(v).toMatchObject({ verdict: "rejected", lineNo: 13 });
    if (v.verdict !== "rejected") return;
    expect(v.expected.map((e) => e.description)).toContain("vmbus_terminate_offers");
    expect(v.rules).toContain("HOST-OFFER-1");
  });

  it("a guest post larger than 240 bytes cannot have reached vmbus_recv_message (HOST-HC-2)", async () => {
    const v = await checkQemu(mutate(11, body(11).replace("size 8", "size 300")), { vcpus: 1 });
    expect(v).toMatchObject({ verdict: "rejected", lineNo: 11 });
    if (v.verdict === "rejected") expect(v.rules).toContain("HOST-HC-2");
  });

  it("accepting 5.0 is impossible for QEMU: REQUESTOFFERS is then dropped and the offers line is rejected (HOST-MSG-2)", async () => {
    const v = await checkQemu(mutate(8, body(8).replace("version 4.0", "version 5.0")), { vcpus: 1 });
    expect(v).toMatchObject({ verdict: "rejected", lineNo: 13 });
    if (v.verdict === "rejected") expect(v.rules).toContain("HOST-MSG-2");
  });

  it("a delivery status QEMU never reports is rejected at that line", async () => {
    expect(await checkQemu(mutate(5, body(5).replace("status 0", "status 7")), { vcpus: 1 })).toMatchObject({ verdict: "rejected", lineNo: 5 });
  });

  it("a slot-busy delivery needs the re-post (HOST-RUN-2) — unless a machine reset, which QEMU does not trace, came between", async () => {
    const log = mutate(5, body(5).replace("status 0", "status -11"));
    const strict = await checkQemu(log, { vcpus: 1, resets: false });
    expect(strict).toMatchObject({ verdict: "rejected", lineNo: 7 });
    if (strict.verdict === "rejected") expect(strict.expected.map((e) => e.description)).toContain("vmbus_post_msg type 15 size 12");
    const lenient = await checkQemu(log, { vcpus: 1 });
    expect(lenient.verdict).toBe("accepted");
    if (lenient.verdict !== "accepted") return;
    expect(lenient.session!.map((s) => s.input.kind)).toContain("reset");
    expect(replayQemu(lenient.session!, [], 1)).toEqual(canonicalLines(log));
  });

  it("a version change in a refused INITIATE_CONTACT is allowed (QEMU refuses 4.2 as it refuses 4.1): the allowing session replays to it", async () => {
    const log = mutate(3, body(3).replace("version 4.1", "version 4.2"));
    const v = await checkQemu(log, { vcpus: 1 });
    expect(v.verdict).toBe("accepted");
    if (v.verdict === "accepted") expect(replayQemu(v.session!, [], 1)).toEqual(canonicalLines(log));
  });
});
