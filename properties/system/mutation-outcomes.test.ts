/**
 * Protocol outcomes (spec/system/outcomes.ts) of one step, on hand-built outputs and host views:
 * every host rejection under its rule with its QEMU quirk row, the device reset by CLOSECHANNEL
 * of a channel that was not open (HOST-CLOSE-2, quirk 11), and a channel opened on a GPADL that
 * was already torn down (HOST-OPEN-2, quirk 12). Views are read only after a device event.
 */
import { describe, expect, it } from "vitest";
import type { HostOutput } from "../../spec/host/interface.js";
import type { HostView } from "../../spec/system/host-model.js";
import { DEFECT_ROWS, outcomeKey, REJECTION_ROWS, stepOutcomes } from "../../spec/system/outcomes.js";
import type { SystemOutput } from "../../spec/system/outputs.js";

const host = (output: HostOutput): SystemOutput => ({ source: "host", output });
const rejected = (rule: string): SystemOutput => host({ kind: "rejected", rule, reason: `by ${rule}` });
const notify = (relid: number, reason: string): SystemOutput => host({ kind: "deviceNotify", relid, reason });
const VIEW: HostView = { connected: true, version: 0x00040000, offeredRelids: [1, 2], openChannels: [], gpadls: [], messageInFlight: false, queuedIncoming: 0 };
const view = (o: Partial<HostView> = {}): (() => HostView) => () => ({ ...VIEW, ...o });
const never = (): HostView => {
  throw new Error("view read without a device event");
};
const rules = (xs: readonly { rule: string; row: number | null }[]) => xs.map((x) => `${x.rule}#${x.row}`);

describe("rejections", () => {
  it("each rejection is an outcome under its rule, with its QEMU quirk row (null when none); views are not read", () => {
    const outs = [rejected("HOST-GPADL-2"), rejected("HOST-MSG-3"), rejected("HOST-OPEN-9"), rejected("HOST-HC-5")];
    const got = stepOutcomes(outs, never, never);
    expect(got).toEqual([
      { rule: "HOST-GPADL-2", row: 5, message: "by HOST-GPADL-2" },
      { rule: "HOST-MSG-3", row: 8, message: "by HOST-MSG-3" },
      { rule: "HOST-OPEN-9", row: null, message: "by HOST-OPEN-9" },
      { rule: "HOST-HC-5", row: 9, message: "by HOST-HC-5" },
    ]);
  });

  it("guest and transport outputs and other host outputs are not outcomes", () => {
    const outs: SystemOutput[] = [
      { source: "transport", event: { kind: "slotFreed", eom: false } },
      host({ kind: "defect", rule: "HOST-QEMU-DEFECT-1", description: "x" }),
      host({ kind: "channelSignal", relid: 1, targetVp: 0 }),
    ];
    expect(stepOutcomes(outs, never, never)).toEqual([]);
  });

  it("the quirk rows of the rejection and defect rules", () => {
    expect(REJECTION_ROWS).toEqual({
      "HOST-GPADL-2": 5,
      "HOST-MSG-1": 6,
      "HOST-CONNECT-9": 6,
      "HOST-GPADL-1": 6,
      "HOST-GPADL-5": 6,
      "HOST-GPADL-12": 6,
      "HOST-OPEN-1": 6,
      "HOST-CLOSE-1": 6,
      "HOST-MSG-3": 8,
      "HOST-HC-5": 9,
      "HOST-UNLOAD-1": 10,
    });
    expect(DEFECT_ROWS).toEqual({ "HOST-QEMU-DEFECT-1": 1, "HOST-QEMU-DEFECT-2": 2, "HOST-QEMU-DEFECT-3": 3, "HOST-QEMU-DEFECT-4": 7 });
  });

  it("outcomeKey: rule and row, '-' for no row", () => {
    expect(outcomeKey({ rule: "HOST-MSG-1", row: 6, message: "m" })).toBe("HOST-MSG-1#6");
    expect(outcomeKey({ rule: "HOST-OPEN-9", row: null, message: "m" })).toBe("HOST-OPEN-9#-");
  });
});

describe("HOST-CLOSE-2 (QEMU quirk 11): a device reset by CLOSECHANNEL of a channel that was not open", () => {
  it("a reset while connected before and after, of a relid not open before", () => {
    const got = stepOutcomes([rejected("HOST-CLOSE-1"), notify(2, "reset")], view({ openChannels: [{ relid: 1, gpadl: 7 }] }), view());
    expect(rules(got)).toEqual(["HOST-CLOSE-1#6", "HOST-CLOSE-2#11"]);
    expect(got[1]!.message).toContain("2");
  });

  it("not when the relid was open, not for other notifications, not when disconnected before or after", () => {
    expect(stepOutcomes([notify(1, "reset")], view({ openChannels: [{ relid: 1, gpadl: 7 }] }), view())).toEqual([]);
    expect(stepOutcomes([notify(2, "closed")], view(), view())).toEqual([]);
    expect(stepOutcomes([notify(2, "opened")], view(), view())).toEqual([]);
    expect(stepOutcomes([notify(2, "reset")], view({ connected: false }), view())).toEqual([]);
    expect(stepOutcomes([notify(2, "reset")], view(), view({ connected: false }))).toEqual([]);
    // Only a device notification is a reset: a rejection whose reason reads "reset" is not.
    expect(rules(stepOutcomes([host({ kind: "rejected", rule: "HOST-OPEN-9", reason: "reset" }), notify(1, "opened")], view(), view()))).toEqual(["HOST-OPEN-9#null"]);
  });
});

describe("HOST-OPEN-2 (QEMU quirk 12): a channel opened on a GPADL already torn down", () => {
  const torn = { id: 7, childRelid: 1, complete: true, state: "torndown" };
  const live = { id: 7, childRelid: 1, complete: true, state: "created" };

  it("a channel newly open on a torn-down GPADL (known before, or only after)", () => {
    const before = stepOutcomes([notify(1, "opened")], view({ gpadls: [torn] }), view({ openChannels: [{ relid: 1, gpadl: 7 }], gpadls: [live] }));
    expect(rules(before)).toEqual(["HOST-OPEN-2#12"]);
    expect(before[0]!.message).toContain("0x7");
    const after = stepOutcomes([notify(1, "opened")], view(), view({ openChannels: [{ relid: 1, gpadl: 7 }], gpadls: [torn] }));
    expect(rules(after)).toEqual(["HOST-OPEN-2#12"]);
  });

  it("not on a live GPADL, not an unknown GPADL, not a channel already open on that GPADL", () => {
    expect(stepOutcomes([notify(1, "opened")], view({ gpadls: [live] }), view({ openChannels: [{ relid: 1, gpadl: 7 }], gpadls: [live] }))).toEqual([]);
    expect(stepOutcomes([notify(1, "opened")], view(), view({ openChannels: [{ relid: 1, gpadl: 7 }] }))).toEqual([]);
    const open = view({ openChannels: [{ relid: 1, gpadl: 7 }], gpadls: [torn] });
    expect(stepOutcomes([notify(1, "guestSignal")], open, open)).toEqual([]);
    // The same relid open before on another GPADL, now on the torn-down one: new.
    expect(rules(stepOutcomes([notify(1, "opened")], view({ openChannels: [{ relid: 1, gpadl: 8 }] }), open))).toEqual(["HOST-OPEN-2#12"]);
    // Another channel open before on that GPADL does not make this one old.
    expect(rules(stepOutcomes([notify(1, "opened")], view({ openChannels: [{ relid: 2, gpadl: 7 }] }), open))).toEqual(["HOST-OPEN-2#12"]);
  });

  it("the GPADL is looked up by the channel's handle, before and after (another torn-down GPADL does not count)", () => {
    const other = { ...torn, id: 9 };
    const opened = { openChannels: [{ relid: 1, gpadl: 7 }] };
    expect(stepOutcomes([notify(1, "opened")], view({ gpadls: [other, live] }), view({ ...opened, gpadls: [other, live] }))).toEqual([]);
    expect(stepOutcomes([notify(1, "opened")], view(), view({ ...opened, gpadls: [other, live] }))).toEqual([]);
  });

  it("without a device event the views are not read and nothing is found", () => {
    expect(stepOutcomes([], never, never)).toEqual([]);
  });
});
