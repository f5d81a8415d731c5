/**
 * Host conformance vectors (docs/vectors.md `host/`): written twice to temp dirs (identical
 * bytes), loaded back through the io-ts codecs, and replayed against the host reducer: every
 * output of every step and the final view must match. Key facts are pinned by hand below, so a
 * regression in the reducer cannot silently rewrite the vectors.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostStep, hostView, initialHostState, type HostConfig } from "../../spec/host/host.js";
import type { HostOutput } from "../../spec/host/interface.js";
import { formatQemuTrace } from "../../spec/host/trace.js";
import { decodeMessage } from "../../spec/wire/codec.js";
import { HostIndexJson, HostScenarioFileJson, VectorsIndexJson, decodeWith } from "../../src/io/vectors.js";
import { writeHostVectors } from "../../src/vectors/host.js";
import { bytes, loadAs, plain, walk } from "./helpers.js";
import { QEMU_LINUX_BOOT_TRACE } from "../host/fixtures/qemu-linux-boot.js";

type ScenarioFile = typeof HostScenarioFileJson._A;

let dir = "";
let dir2 = "";
const files = new Map<string, ScenarioFile>();
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vmbus-host-vectors-"));
  dir2 = await mkdtemp(join(tmpdir(), "vmbus-host-vectors-"));
  await writeHostVectors(dir);
  await writeHostVectors(dir2);
  const idx = await loadAs(HostIndexJson, join(dir, "host"), "index.json");
  for (const name of idx.files) files.set(name, await loadAs(HostScenarioFileJson, join(dir, "host"), name));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(dir2, { recursive: true, force: true });
});

const file = (name: string): ScenarioFile => {
  const f = files.get(name);
  if (!f) throw new Error(`no vector file ${name}`);
  return f;
};
const outputs = (f: ScenarioFile): ScenarioFile["steps"][number]["outputs"] => f.steps.flatMap((s) => s.outputs);
const statuses = (f: ScenarioFile): number[] => outputs(f).flatMap((o) => (o.kind === "hypercallStatus" ? [o.status] : []));
const posted = (f: ScenarioFile) => outputs(f).flatMap((o) => (o.kind === "postMessage" ? [o] : []));
const rules = (f: ScenarioFile, kind: "rejected" | "defect"): string[] => outputs(f).flatMap((o) => (o.kind === kind ? [o.rule] : []));
const traces = (f: ScenarioFile): string[] => outputs(f).flatMap((o) => (o.kind === "trace" && o.text !== undefined ? [o.text] : []));

describe("host vectors", () => {
  it("are deterministic (two writes give identical bytes)", async () => {
    const names = await walk(join(dir, "host"));
    expect(names).toEqual(await walk(join(dir2, "host")));
    expect(names.length).toBeGreaterThan(80);
    for (const n of names) expect(await readFile(join(dir, "host", n), "utf8"), n).toBe(await readFile(join(dir2, "host", n), "utf8"));
  });

  it("cover every profile with the required scenarios", () => {
    for (const profile of ["qemu", "strict", "openvmm"])
      for (const id of ["boot-linux", "gpadl-create", "open-close-reopen", "gpadl-teardown", "unload", "slot-busy", "queue-full", "rescind", "version-failures", "modifychannel", "known-01-body-for-complete-gpadl", "known-12-open-torn-down-gpadl"])
        expect(files.has(`${profile}/${id}.json`), `${profile}/${id}`).toBe(true);
  });

  it("replay: the host reducer produces every expected output and the final view", () => {
    let steps = 0;
    for (const [name, f] of files) {
      expect(f.config.profile, name).toBe(f.profile);
      const config: HostConfig = { profile: f.config.profile, devices: f.config.devices, vcpuCount: f.config.vcpuCount };
      let state = initialHostState(config);
      f.steps.forEach((s, i) => {
        const r = hostStep(config, state, s.input);
        state = r.state;
        const expected = s.outputs.map((o) => {
          if (o.kind !== "trace") return o;
          const { text, ...rest } = o;
          if (text !== undefined) expect(formatQemuTrace(rest as HostOutput), `${name} step ${i}`).toBe(text);
          return rest;
        });
        expect(plain(r.outputs), `${name} step ${i}`).toEqual(plain(expected));
        steps++;
      });
      expect(plain(hostView(state)), `${name} final`).toEqual(plain(f.final));
    }
    expect(steps).toBeGreaterThan(2000);
  });

  it("replay is not vacuous: a tampered status, posted byte or rule ID is detected", () => {
    const agrees = (f: ScenarioFile): boolean => {
      const config: HostConfig = { profile: f.config.profile, devices: f.config.devices, vcpuCount: f.config.vcpuCount };
      let state = initialHostState(config);
      return f.steps.every((s) => {
        const r = hostStep(config, state, s.input);
        state = r.state;
        return isDeepStrictEqual(plain(r.outputs), plain(s.outputs.map((o) => (o.kind === "trace" ? { kind: o.kind, event: o.event, args: o.args } : o))));
      });
    };
    const orig = file("qemu/boot-linux.json");
    expect(agrees(orig)).toBe(true);
    type Mutable = { steps: { outputs: Record<string, unknown>[] }[] };
    const tamper = (name: string, pick: (o: Record<string, unknown>) => boolean, change: (o: Record<string, unknown>) => void): boolean => {
      const t = plain(file(name)) as Mutable;
      const o = t.steps.flatMap((s) => s.outputs).find(pick);
      if (!o) throw new Error(`nothing to tamper in ${name}`);
      change(o);
      return agrees(t as unknown as ScenarioFile);
    };
    expect(tamper("qemu/boot-linux.json", (o) => o["kind"] === "hypercallStatus", (o) => (o["status"] = 0))).toBe(false);
    expect(tamper("strict/gpadl-create.json", (o) => o["kind"] === "postMessage", (o) => (o["bytes"] = `ff${String(o["bytes"]).slice(2)}`))).toBe(false);
    expect(tamper("qemu/known-01-body-for-complete-gpadl.json", (o) => o["kind"] === "defect", (o) => (o["rule"] = "HOST-QEMU-DEFECT-2"))).toBe(false);
  });

  it("posted bytes decode to the recorded message and payloadSize covers them", () => {
    for (const [name, f] of files) {
      for (const p of posted(f)) {
        const b = bytes(p.bytes);
        expect(b.length, name).toBe(p.payloadSize);
        const d = decodeMessage(b, { direction: "host-to-guest" });
        if (d.ok) expect(plain(d.value.message), name).toEqual(plain(p.message));
      }
    }
  });

  it("the top-level CLI index form decodes", () => {
    expect(decodeWith(VectorsIndexJson, "index.json", { formatVersion: 1, kind: "vectors-index", directories: ["wire", "host", "ring"] }).ok).toBe(true);
    const bad = decodeWith(HostScenarioFileJson, "x.json", { ...plain(file("qemu/unload.json")) as object, steps: [{ input: { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 8, payload: "zz" }, outputs: [] }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.join("\n")).toContain("x.json.steps[0].input");
  });
});

describe("host vectors: key facts pinned by hand", () => {
  it("qemu Linux boot: 6.0/5.x refused with status 18 (connection id 4), 4.1 refused, 4.0 accepted, QEMU's exact trace lines", () => {
    const f = file("qemu/boot-linux.json");
    expect(statuses(f)).toEqual([18, 18, 18, 18, 18, 0, 0, 0]);
    expect(f.steps.filter((s) => s.input.kind === "postMessage" && s.input.connectionId === 4).every((s) => s.outputs.some((o) => o.kind === "hypercallStatus" && o.status === 18))).toBe(true);
    expect(posted(f).map((p) => p.message.type)).toEqual(["VersionResponse", "VersionResponse", "OfferChannel", "OfferChannel", "OfferChannel", "AllOffersDelivered"]);
    expect(posted(f).map((p) => p.payloadSize)).toEqual([16, 16, 200, 200, 200, 8]);
    expect(traces(f)).toEqual(QEMU_LINUX_BOOT_TRACE);
    expect(f.final).toMatchObject({ connected: true, version: 0x40000, offeredRelids: [1, 2, 3] });
  });

  it("strict and openvmm accept 6.0 on connection id 4; strict offers are 196 bytes", () => {
    for (const profile of ["strict", "openvmm"]) {
      const f = file(`${profile}/boot-linux.json`);
      expect(statuses(f)).toEqual([0, 0]);
      expect(posted(f)[0]!.message).toMatchObject({ type: "VersionResponse", versionSupported: 1 });
      expect(f.final).toMatchObject({ connected: true, version: 0x60000 });
    }
    expect(posted(file("strict/boot-linux.json")).filter((p) => p.message.type === "OfferChannel").map((p) => p.payloadSize)).toEqual([196, 196, 196]);
  });

  it("strict negotiates features = supported ∧ requested at 6.0; openvmm likewise", () => {
    for (const profile of ["strict", "openvmm"])
      expect(posted(file(`${profile}/features-6.0.json`))[0]!.message, profile).toEqual({ type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x24 });
    expect(statuses(file("qemu/features-6.0.json"))[0]).toBe(18);
  });

  it("a full incoming queue answers HV_STATUS_INSUFFICIENT_BUFFERS (19): 16 entries in qemu/strict, 64 in openvmm", () => {
    for (const [profile, n] of [["qemu", 16], ["strict", 16], ["openvmm", 64]] as const) {
      const st = statuses(file(`${profile}/queue-full.json`)).slice(2);
      expect(st, profile).toEqual([...new Array<number>(n).fill(0), 19]);
    }
  });

  it("QEMU quirks: QEMU's recorded defects and quirks, strict's answers", () => {
    expect(rules(file("qemu/known-01-body-for-complete-gpadl.json"), "defect")).toEqual(["HOST-QEMU-DEFECT-1"]);
    expect(rules(file("strict/known-01-body-for-complete-gpadl.json"), "rejected")).toEqual(["HOST-GPADL-11"]);
    expect(rules(file("qemu/known-02-unload-before-contact.json"), "defect")).toEqual(["HOST-QEMU-DEFECT-2"]);
    expect(rules(file("strict/known-02-unload-before-contact.json"), "rejected")).toEqual(["HOST-UNLOAD-2"]);
    expect(rules(file("qemu/known-03-header-buflen-below-8.json"), "defect")).toEqual(["HOST-QEMU-DEFECT-3"]);
    expect(traces(file("qemu/known-03-header-buflen-below-8.json"))).toContain("vmbus_gpadl_header gpadl #9 gfns 65535");
    expect(posted(file("strict/known-03-header-buflen-below-8.json")).slice(-2).map((p) => p.message)).toEqual([
      { type: "GpadlCreated", childRelid: 1, gpadl: 9, creationStatus: 0x8000ffff },
      { type: "GpadlCreated", childRelid: 1, gpadl: 10, creationStatus: 0x8000ffff },
    ]);
    expect(rules(file("qemu/known-07-target-vp.json"), "defect")).toEqual(["HOST-QEMU-DEFECT-4"]);
    expect(rules(file("qemu/known-08-relid-released.json"), "rejected")).toEqual(["HOST-MSG-3"]);
    expect(rules(file("strict/known-08-relid-released.json"), "rejected")).toEqual(["HOST-RESCIND-2"]);
    expect(posted(file("qemu/known-12-open-torn-down-gpadl.json")).at(-1)!.message).toEqual({ type: "OpenChannelResult", childRelid: 2, openId: 2, status: 0 });
    expect(posted(file("strict/known-12-open-torn-down-gpadl.json")).slice(-2).map((p) => p.message)).toEqual([
      { type: "OpenChannelResult", childRelid: 2, openId: 2, status: 0x8000ffff },
      { type: "GpadlTorndown", gpadl: 7 },
    ]);
  });

  it("rescind and RELID_RELEASED (strict); MODIFYCHANNEL_RESPONSE only from 5.3", () => {
    const r = posted(file("strict/rescind.json")).map((p) => p.message.type);
    expect(r).toContain("RescindChannelOffer");
    expect(r.at(-1)).toBe("OfferChannel");
    expect(rules(file("qemu/rescind.json"), "rejected")).toContain("HOST-RESCIND-3");
    const m = posted(file("strict/modifychannel.json")).map((p) => p.message);
    expect(m.filter((x) => x.type === "ModifyChannelResponse")).toEqual([{ type: "ModifyChannelResponse", childRelid: 1, status: 0x8000ffff }]);
    expect(statuses(file("qemu/modifychannel.json"))).toContain(3);
  });
});
