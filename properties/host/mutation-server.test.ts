/**
 * HOST-MODIFY-3 of the queue model (spec/host/server/channel.ts), which no test named: a second
 * MODIFYCHANNEL while the first one's MODIFYCHANNEL_RESPONSE is unanswered. It is reachable only
 * while the response cannot be posted, i.e. while the bus is paused (HOST-PAUSE-1).
 */
import { describe, expect, it } from "vitest";
import { FeatureFlag } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, createGpadl, openMsg } from "./helpers.js";

const V5_3 = 0x50003;
const V6_0 = 0x60000;
const contact = (version: number, featureFlags = 0): Message => ({
  type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags, monitorPage1: "4096", monitorPage2: "8192",
});

/** A strict host at `version`, offers taken, relid 1 open on a 4-page ring split 2 + 2. */
const openOn = (profile: "strict" | "openvmm", version: number, featureFlags = 0): Harness => {
  const h = new Harness(config(profile));
  h.send(contact(version, featureFlags), 4);
  h.settle();
  h.send({ type: "RequestOffers" });
  h.settle();
  createGpadl(h, 1, 7, 4);
  h.send(openMsg(1, 7, 2));
  h.settle();
  expect(h.state.channels.find((c) => c.relid === 1)?.isOpen).toBe(true);
  return h;
};

describe("HOST-MODIFY-3: a MODIFYCHANNEL while another for the channel is unanswered (from 5.3)", () => {
  it("strict: while paused the first response waits; the second MODIFYCHANNEL is dropped and the channel keeps the first VP", () => {
    const h = openOn("strict", V6_0, FeatureFlag.PAUSE_RESUME);
    h.send({ type: "Pause" });
    expect(h.settle()).toEqual([{ type: "PauseResponse" }]);
    h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 1 });
    h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 0 });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-MODIFY-3"]);
    expect(h.state.channels.find((c) => c.relid === 1)?.targetVp).toBe(1);
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(true);
    h.send({ type: "Resume" });
    expect(h.settle()).toEqual([{ type: "ModifyChannelResponse", childRelid: 1, status: 0 }]);
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(false);
    // Answered: the next MODIFYCHANNEL is accepted again.
    h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 0 });
    expect(h.settle()).toEqual([{ type: "ModifyChannelResponse", childRelid: 1, status: 0 }]);
    expect(h.rejections()).toEqual(["HOST-MODIFY-3"]);
  });
  it("strict before 5.3: MODIFYCHANNEL is not answered, so nothing is pending and a second one is applied", () => {
    const h = openOn("strict", 0x50002);
    h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 1 });
    h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 0 });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual([]);
    expect(h.state.channels.find((c) => c.relid === 1)?.targetVp).toBe(0);
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(false);
  });
  it("strict at 5.3: CLOSECHANNEL clears the pending MODIFYCHANNEL", () => {
    const h = openOn("strict", V5_3);
    h.send({ type: "ModifyChannel", childRelid: 1, targetVp: 1 });
    h.step({ kind: "run" }); // processes MODIFYCHANNEL: the response is queued
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(true);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(false);
  });
});
