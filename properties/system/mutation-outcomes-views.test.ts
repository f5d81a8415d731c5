/**
 * Protocol outcomes (spec/system/outcomes.ts) where the step's outputs mix sources and the host
 * views hold several GPADLs: HOST-CLOSE-2 (QEMU quirk 11) is found among transport and guest
 * outputs, and HOST-OPEN-2 (QEMU quirk 12) judges the GPADL the channel was opened on, not
 * another one listed before it.
 */
import { describe, expect, it } from "vitest";
import type { HostView } from "../../spec/system/host-model.js";
import { stepOutcomes } from "../../spec/system/outcomes.js";
import type { SystemOutput } from "../../spec/system/outputs.js";

const VIEW: HostView = { connected: true, version: 0x00040000, offeredRelids: [1, 2], openChannels: [], gpadls: [], messageInFlight: false, queuedIncoming: 0 };
const view = (o: Partial<HostView> = {}): (() => HostView) => () => ({ ...VIEW, ...o });
const notify = (relid: number, reason: string): SystemOutput => ({ source: "host", output: { kind: "deviceNotify", relid, reason } });
const transport: SystemOutput = { source: "transport", event: { kind: "slotFreed", eom: false } };
const keys = (xs: readonly { rule: string; row: number | null }[]) => xs.map((x) => `${x.rule}#${x.row}`);
const gp = (id: number, state: string) => ({ id, childRelid: 1, complete: true, state });

describe("HOST-CLOSE-2 (QEMU quirk 11) among outputs of every source", () => {
  it("a transport event before and after the reset does not hide it", () => {
    expect(keys(stepOutcomes([transport, notify(2, "reset"), transport], view(), view()))).toEqual(["HOST-CLOSE-2#11"]);
  });
  it("only a deviceNotify is a reset: a rejection whose reason reads 'reset' is not", () => {
    const odd: SystemOutput = { source: "host", output: { kind: "rejected", rule: "HOST-CLOSE-1", reason: "reset" } };
    expect(keys(stepOutcomes([odd, notify(1, "opened")], view(), view()))).toEqual(["HOST-CLOSE-1#6"]);
  });
});

describe("HOST-OPEN-2 (QEMU quirk 12): the GPADL the channel opened on", () => {
  const opened = { openChannels: [{ relid: 1, gpadl: 7 }] };
  it("known before: a live GPADL listed first does not hide the torn-down one", () => {
    expect(keys(stepOutcomes([notify(1, "opened")], view({ gpadls: [gp(5, "created"), gp(7, "torndown")] }), view(opened)))).toEqual(["HOST-OPEN-2#12"]);
    expect(stepOutcomes([notify(1, "opened")], view({ gpadls: [gp(5, "torndown"), gp(7, "created")] }), view(opened))).toEqual([]);
  });
  it("known only after: the same, in the view after the step", () => {
    expect(keys(stepOutcomes([notify(1, "opened")], view(), view({ ...opened, gpadls: [gp(5, "created"), gp(7, "torndown")] })))).toEqual(["HOST-OPEN-2#12"]);
    expect(stepOutcomes([notify(1, "opened")], view(), view({ ...opened, gpadls: [gp(5, "torndown"), gp(7, "created")] }))).toEqual([]);
  });
});
