/**
 * Each system rule, broken on purpose: the spec's host with one mutation (in its step or its
 * view) and the checker must report exactly that rule (among what the mutation causes).
 */
import { describe, expect, it } from "vitest";
import type { HostConfig, HostState } from "../../spec/host/host.js";
import type { HostOutput } from "../../spec/host/interface.js";
import type { HostModel } from "../../spec/system/host-model.js";
import { specHost } from "../../spec/system/spec-host.js";
import { createSystem } from "../../spec/system/system.js";
import { runCheckWith } from "../../src/explore/check.js";
import { HvStatus } from "../../spec/wire/constants.js";

type M = HostModel<HostConfig, HostState>;
const found = async (mutant: M, modify = false): Promise<string[]> => {
  const r = await runCheckWith(createSystem(mutant), { profile: "strict", channels: 1, gpadls: 0, depth: 300, maxStates: 50_000, hostile: false, modify });
  return [...new Set(r.violations.map((v) => v.rule))];
};
const mapOutputs = (f: (o: HostOutput) => HostOutput | null): M => ({
  ...specHost,
  step: (c, s, i) => {
    const r = specHost.step(c, s, i);
    return { state: r.state, outputs: r.outputs.flatMap((o) => { const x = f(o); return x ? [x] : []; }) };
  },
});

describe("system rules, each broken on purpose", () => {
  it("SYS-GPADL-1: the host forgets GPADLs it created", async () => {
    expect(await found({ ...specHost, view: (s) => ({ ...specHost.view(s), gpadls: [] }) })).toContain("SYS-GPADL-1");
  });
  it("SYS-VERSION-1: the host never reports itself connected", async () => {
    expect(await found({ ...specHost, view: (s) => ({ ...specHost.view(s), connected: false, version: undefined }) })).toContain("SYS-VERSION-1");
  });
  it("SYS-UNLOAD-1: the host keeps a GPADL after UNLOAD_RESPONSE", async () => {
    const ghost = { id: 0x999, childRelid: 1, complete: true, state: "alive" };
    expect(await found({ ...specHost, view: (s) => ({ ...specHost.view(s), gpadls: [...specHost.view(s).gpadls, ghost] }) })).toContain("SYS-UNLOAD-1");
  });
  it("SYS-SLOT-1: the host writes more than 240 bytes into the slot", async () => {
    const rules = await found(mapOutputs((o) => (o.kind === "postMessage" ? { ...o, payloadSize: 248, bytes: o.bytes.padEnd(496, "0") } : o)));
    expect(rules).toContain("SYS-SLOT-1");
  });
  it("SYS-HCALL-1: the host leaves an HvPostMessage without a status", async () => {
    expect(await found(mapOutputs((o) => (o.kind === "hypercallStatus" ? null : o)))).toContain("SYS-HCALL-1");
  });
  it("SYS-SIGNAL-1: the host fails HvSignalEvent for an open channel", async () => {
    const mutant: M = {
      ...specHost,
      step: (c, s, i) => {
        const r = specHost.step(c, s, i);
        if (i.kind !== "signalEvent") return r;
        return { state: r.state, outputs: r.outputs.map((o) => (o.kind === "hypercallStatus" ? { ...o, status: HvStatus.INVALID_CONNECTION_ID } : o)) };
      },
    };
    expect(await found(mutant)).toContain("SYS-SIGNAL-1");
  });
  it("SYS-HOSTMSG-1: a host message the guest drops is a finding under the guest's rule (GUEST-MSG-1 for msgtype 30)", async () => {
    const rules = await found(mapOutputs((o) => (o.kind === "postMessage" && o.message.type === "AllOffersDelivered" ? { ...o, bytes: "1e" + o.bytes.slice(2) } : o)));
    expect(rules).toContain("GUEST-MSG-1");
  });
});
