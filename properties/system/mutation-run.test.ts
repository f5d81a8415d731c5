/**
 * Runs as data (spec/system/run.ts) and inputs as text (spec/system/inputs.ts): which transport
 * events are the messages of a run step, a recorded run stops at the first input that is not
 * enabled, and every input kind has its own description in reports and traces.
 */
import { describe, expect, it } from "vitest";
import type { SystemInput } from "../../spec/system/inputs.js";
import { describeInput, INPUT_KINDS } from "../../spec/system/inputs.js";
import type { SystemOutput, TransportEvent } from "../../spec/system/outputs.js";
import { recordRun, replayRun, runMessages } from "../../spec/system/run.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { checkConfig } from "../../src/explore/check.js";

const t = (event: TransportEvent): SystemOutput => ({ source: "transport", event });
const config = checkConfig({ profile: "qemu", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: false });

describe("runMessages", () => {
  it("posts and deliveries are the run's messages, in order; every other event and output is not", () => {
    const outs: SystemOutput[] = [
      { source: "guest", output: { kind: "posted", connectionId: 1, bytes: "0e00000000000000" } } as unknown as SystemOutput,
      { source: "host", output: { kind: "hypercallStatus", status: 0 } },
      t({ kind: "post", connectionId: 1, messageType: 14, payloadSize: 8, payload: "0e00000000000000", status: 0 }),
      t({ kind: "slotBusy", messageType: 15 }),
      t({ kind: "slotFreed", eom: true }),
      t({ kind: "signal", relid: 1, connectionId: 0x2001, status: 0, hostOpen: true }),
      t({ kind: "deliveryFailed", messageType: 15, status: -6 }),
      t({ kind: "synic", messagePage: false, sintMasked: true }),
      t({ kind: "delivered", messageType: 15, payloadSize: 12, payload: "0f000000000000000a000000" }),
    ];
    expect(runMessages(outs)).toEqual([
      { direction: "guestToHost", messageType: 14, payloadSize: 8, hex: "0e00000000000000", connectionId: 1, status: 0 },
      { direction: "hostToGuest", messageType: 15, payloadSize: 12, hex: "0f000000000000000a000000" },
    ]);
  });

  it("each non-message transport event alone gives no message", () => {
    expect(runMessages([t({ kind: "deliveryFailed", messageType: 15, status: -6 })])).toEqual([]);
    expect(runMessages([t({ kind: "synic", messagePage: true, sintMasked: false })])).toEqual([]);
    expect(runMessages([t({ kind: "slotBusy", messageType: 1 })])).toEqual([]);
  });
});

describe("recordRun / replayRun", () => {
  it("a run stops before the first input that is not enabled; replaying it refuses that input", () => {
    // At the start only the guest's INITIATE_CONTACT post is enabled.
    expect(specSystem.enabled(config, specSystem.initial(config))).toEqual([{ kind: "guestPost", lane: 0 }]);
    const notYet: SystemInput = { kind: "hostRun" };
    expect(recordRun(specSystem, config, [notYet, { kind: "guestPost", lane: 0 }])).toEqual([]);
    // kdumpBoot is enabled only after a crash.
    const run = recordRun(specSystem, config, [{ kind: "guestPost", lane: 0 }, { kind: "kdumpBoot" }, { kind: "guestPost", lane: 0 }]);
    expect(run.map((s) => s.input)).toEqual([{ kind: "guestPost", lane: 0 }]);
    expect(run[0]!.messages).toHaveLength(1);
    expect(run[0]!.messages[0]).toMatchObject({ direction: "guestToHost", messageType: 14 });
    const bad = replayRun(specSystem, config, [{ input: notYet, messages: [] }]);
    expect(bad).toMatchObject({ ok: false, step: 1 });
  });
});

describe("describeInput: one description per input kind", () => {
  const inputs: SystemInput[] = [
    { kind: "driver", action: { kind: "openChannel", relid: 3, sendPages: 2, recvPages: 2 } },
    { kind: "driver", action: { kind: "teardownGpadl", gpadl: 0xe1e11 } },
    { kind: "driver", action: { kind: "unload" } },
    { kind: "guestPost", lane: 5 },
    { kind: "hostilePost", label: "UNLOAD", connectionId: 4, payloadSize: 8, payload: "1000000000000000" },
    { kind: "hostRun" },
    { kind: "deliver" },
    { kind: "guestReceive" },
    { kind: "guestSignal", relid: 7 },
    { kind: "rescind", relid: 9 },
    { kind: "guestCrash" },
    { kind: "kdumpBoot" },
    { kind: "hostileSynic", action: "maskSint" },
  ];

  it("the text names the input's fields", () => {
    expect(inputs.map(describeInput)).toEqual([
      "driver openChannel relid=3",
      "driver teardownGpadl gpadl=925201",
      "driver unload",
      "guest posts (lane 5)",
      "hostile post UNLOAD (conn 4, 8 bytes)",
      "host runs",
      "host message meets slot",
      "guest reads slot",
      "guest signals channel 7",
      "device rescinds relid 9",
      "guest kernel crashes (kdump)",
      "kdump kernel starts",
      "hostile guest: maskSint",
    ]);
  });

  it("INPUT_KINDS lists every input kind once", () => {
    const kinds = INPUT_KINDS.map((k) => k.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect([...kinds].sort()).toEqual([...new Set(inputs.map((i) => i.kind))].sort());
  });
});
