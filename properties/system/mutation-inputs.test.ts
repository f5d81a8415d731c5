/**
 * The description of every system input kind (spec/system/inputs.ts describeInput): the text each
 * step of a reported trace carries in `check --json` ("description") and in the printed traces.
 */
import { describe, expect, it } from "vitest";
import { describeInput, INPUT_KINDS, type SystemInput } from "../../spec/system/inputs.js";

describe("describeInput (the trace steps' descriptions)", () => {
  it("names each input kind with its parameters", () => {
    const cases: [SystemInput, string][] = [
      [{ kind: "driver", action: { kind: "openChannel", relid: 3, sendPages: 2, recvPages: 2 } }, "driver openChannel relid=3"],
      [{ kind: "driver", action: { kind: "teardownGpadl", gpadl: 2 } }, "driver teardownGpadl gpadl=2"],
      [{ kind: "driver", action: { kind: "unload" } }, "driver unload"],
      [{ kind: "guestPost", lane: 2 }, "guest posts (lane 2)"],
      [{ kind: "hostilePost", label: "OPENCHANNEL short", connectionId: 4, payloadSize: 12, payload: "00" }, "hostile post OPENCHANNEL short (conn 4, 12 bytes)"],
      [{ kind: "hostRun" }, "host runs"],
      [{ kind: "deliver" }, "host message meets slot"],
      [{ kind: "guestReceive" }, "guest reads slot"],
      [{ kind: "guestSignal", relid: 5 }, "guest signals channel 5"],
      [{ kind: "rescind", relid: 6 }, "device rescinds relid 6"],
      [{ kind: "guestCrash" }, "guest kernel crashes (kdump)"],
      [{ kind: "kdumpBoot" }, "kdump kernel starts"],
      [{ kind: "hostileSynic", action: "maskSint" }, "hostile guest: maskSint"],
    ];
    for (const [input, text] of cases) expect(describeInput(input)).toBe(text);
    // every kind the catalogue documents is described
    expect(new Set(cases.map(([i]) => i.kind))).toEqual(new Set(INPUT_KINDS.map((k) => k.kind)));
  });
});
