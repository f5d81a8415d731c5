/** `vmbus-spec host` through the built CLI (child_process). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MAIN = resolve("dist/src/cli/main.js");
let dir = "";

beforeAll(() => {
  spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { encoding: "utf8" });
  if (!existsSync(MAIN)) throw new Error("build produced no dist/src/cli/main.js");
  dir = mkdtempSync(join(tmpdir(), "vmbus-host-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], input: string) => {
  const r = spawnSync(process.execPath, [MAIN, "host", ...args], { encoding: "utf8", input });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const script = (...lines: unknown[]): string => lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
const contact = (v: number) => ({ kind: "guest", message: { type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: v, targetVcpu: 0, interruptPage: "0", monitorPage1: "0", monitorPage2: "0" } });

describe("vmbus-spec host", () => {
  it("--trace qemu prints QEMU's log lines", () => {
    const r = run(["--profile", "qemu", "--trace", "qemu"], script("# boot", contact(0x40000), { kind: "settle" }, "", { kind: "guest", message: { type: "Unload" } }, { kind: "settle" }));
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split("\n")).toEqual([
      "vmbus_recv_message type 14 size 40",
      "vmbus_process_incoming_message type 14",
      "vmbus_initiate_contact version 4.0 target vp 0 mon pages 0x0,0x0 int page 0x0",
      "vmbus_post_msg type 15 size 12",
      "vmbus_msg_cb message status 0",
      "vmbus_recv_message type 16 size 8",
      "vmbus_process_incoming_message type 16",
      "vmbus_post_msg type 17 size 8",
      "vmbus_msg_cb message status 0",
    ]);
  });

  it("prints outputs as JSON lines tagged with the script line; raw posts and step inputs work", () => {
    const r = run(["--profile", "strict"], script({ kind: "postMessage", connectionId: 4, payload: "0e000000000000000000050000000000020000000000000000000000000000000000000000000000" }, { kind: "run" }, { kind: "run" }, { kind: "deliveryResult", result: "delivered" }));
    expect(r.code).toBe(0);
    const outs = r.out.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(outs[0]).toEqual({ line: 1, kind: "hypercallStatus", status: 0 });
    expect(outs[1]).toMatchObject({ line: 3, kind: "postMessage", message: { type: "VersionResponse", versionSupported: 1, msgConnId: 1 }, payloadSize: 16, targetVp: 0, sint: 2 });
  });

  it("--devices takes a JSON file; none gives no offers", () => {
    const file = join(dir, "devices.json");
    writeFileSync(file, JSON.stringify([{ name: "x", interfaceType: "00000000-0000-0000-0000-000000000001", interfaceInstance: "00000000-0000-0000-0000-000000000002", subChannels: 2, channelFlags: 0, mmioMegabytes: 0, openResult: "ok" }]));
    const s = script(contact(0x40000), { kind: "settle" }, { kind: "guest", message: { type: "RequestOffers" } }, { kind: "settle" });
    const offers = (args: string[]) => run(args, s).out.trimEnd().split("\n").map((l) => JSON.parse(l)).filter((o) => o.kind === "postMessage" && o.message.type === "OfferChannel").length;
    expect(offers(["--devices", file])).toBe(3);
    expect(offers(["--devices", "none"])).toBe(0);
    expect(offers([])).toBe(3);
    writeFileSync(file, JSON.stringify([{ name: "x" }]));
    const bad = run(["--devices", file], s);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("devices[0].interfaceType");
  });

  it("bad lines: line number and field path, nothing run, exit 2", () => {
    const r = run([], script({ kind: "run" }, { kind: "guest", message: { type: "CloseChannel", childRelid: -1 } }, { kind: "signalEvent", connectionId: 17 }, "{oops"));
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^vmbus-spec host: line 2: .*CloseChannel\.childRelid: expected u32/);
    expect(lines[1]).toMatch(/^vmbus-spec host: line 3: signalEvent\.flagNumber: expected u16/);
    expect(lines[2]).toMatch(/^vmbus-spec host: line 4: bad JSON/);
  });

  it("bad options exit 2", () => {
    expect(run(["--profile", "hyperv"], "").code).toBe(2);
    expect(run(["--trace", "linux"], "").code).toBe(2);
  });
});
