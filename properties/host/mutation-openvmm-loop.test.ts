/**
 * The openvmm server loop's remaining edges (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * :3650 handle_synic_message, :1873 offer_channel, :1908 revoke_channel; lib.rs:1266-1285 at
 * microsoft/openvmm 1488a37b): the channel-id cap at boot, which port reads the multiclient
 * fields of the 56-byte INITIATE_CONTACT, what a panic stops, and the host inputs' lookups.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { hostRunnable, hostStep, initialHostState } from "../../spec/host/host.js";
import type { HostOutput } from "../../spec/host/interface.js";
import { HvStatus } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, initiate, openWithRings, post } from "./helpers.js";
import { connect } from "./openvmm-harness.js";

const V60 = 0x60000;
const reasons = (h: Harness): string[] => h.log.flatMap((o) => (o.kind === "rejected" ? [`${o.rule} ${o.reason}`] : []));
const contact2 = (msgSint: number): Message =>
  ({ type: "InitiateContact", form: "clientId", vmbusVersionRequested: V60, targetVcpu: 1, msgSint, msgVtl: 0, featureFlags: 0x8, monitorPage1: "0", monitorPage2: "0", clientId: "00000000-0000-0000-0000-000000000001" }) as Message;
const posted = (out: readonly HostOutput[]) => out.flatMap((o) => (o.kind === "postMessage" ? [[o.message.type, o.targetVp, o.sint]] : []));

describe("openvmm server loop edges", () => {
  it("HOST-OFFER-8: a device with more sub-channels than channel ids gets 2047 channels at boot, ids 1..2047", () => {
    // hostStep without the Harness: its invariant check after every step is quadratic in channels.
    const cfg = config("openvmm", { devices: [{ ...DEFAULT_DEVICES[1]!, subChannels: 3000 }] });
    let s = initialHostState(cfg);
    for (const m of [initiate(0x40000), { type: "RequestOffers" } as const]) {
      s = hostStep(cfg, s, post(m)).state;
      s = hostStep(cfg, s, { kind: "run" }).state;
    }
    const ids = s.channels.map((c) => c.relid);
    expect([ids.length, Math.min(...ids), Math.max(...ids), s.channels.at(-1)?.subChannelIndex]).toEqual([2047, 1, 2047, 2046]);
  });

  it("HOST-OPENVMM-CONNECT-1, HOST-OPENVMM-CONNECT-3: the 56-byte INITIATE_CONTACT reads its SINT on the multiclient port (4) only", () => {
    const multi = new Harness(config("openvmm"));
    expect(posted(multi.step(post(contact2(3), 4)))).toEqual([]);
    expect(posted(multi.step({ kind: "run" }))).toEqual([["VersionResponse", 1, 3]]);
    expect([multi.rejections(), multi.state.connected]).toEqual([["HOST-OPENVMM-CONNECT-3"], false]);
    const plain = new Harness(config("openvmm"));
    plain.step(post(contact2(3), 1));
    expect(posted(plain.step({ kind: "run" }))).toEqual([["VersionResponse", 1, 2]]);
    expect([plain.rejections(), plain.state.connected]).toEqual([[], true]);
  });

  it("HOST-OPENVMM-PARSE-1: OPENCHANNEL while disconnected is InvalidMessageType; a short CLOSECHANNEL names its error and type", () => {
    const h = new Harness(config("openvmm"));
    h.send({ type: "OpenChannel", form: "v1", childRelid: 1, openId: 1, ringBufferGpadlHandle: 1, targetVp: 0, downstreamRingBufferPageOffset: 2, userData: "00".repeat(120) });
    h.settle();
    const c = connect();
    c.step(post({ type: "CloseChannel", childRelid: 1 }, 1, 11));
    c.settle();
    expect([reasons(h), reasons(c)]).toEqual([["HOST-OPENVMM-PARSE-1 InvalidMessageType(5)"], ["HOST-OPENVMM-PARSE-2 MessageTooSmall(7)"]]);
  });

  it("HOST-OPENVMM-DEFECT-3, HOST-OPENVMM-CRASHED-1: after the MODIFY_CONNECTION panic later posts are dropped", () => {
    const h = new Harness(config("openvmm"));
    h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: V60, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x4, monitorPage1: "0", monitorPage2: "0" });
    h.settle();
    h.send({ type: "ModifyConnection", parentToChildMonitorPageGpa: "4096", childToParentMonitorPageGpa: "0" });
    h.settle();
    expect(h.send({ type: "Unload" })).toBe(HvStatus.SUCCESS);
    expect([h.settle(), h.defects(), h.rejections()]).toEqual([[], ["HOST-OPENVMM-DEFECT-3"], ["HOST-OPENVMM-CRASHED-1"]]);
  });

  it("HOST-OPENVMM-CRASHED-1: a message queued before the panic is never runnable", () => {
    const h = connect();
    h.step(post({ type: "GpadlTorndown", gpadl: 1 }));
    h.send({ type: "Unload" });
    expect(hostRunnable(h.cfg, h.state)).toBe(true);
    h.step({ kind: "run" });
    expect([h.defects(), h.state.rxQueue.length, hostRunnable(h.cfg, h.state)]).toEqual([["HOST-OPENVMM-DEFECT-1"], 1, false]);
  });

  it("HOST-DEV-1: channel id 0 names no channel, even before the offers give the channels their ids", () => {
    const h = new Harness(config("openvmm"));
    h.step({ kind: "rescindChannel", relid: 0 });
    expect(h.rejections()).toEqual(["HOST-DEV-1"]);
  });

  it("HOST-SIG-4: a device signals only its own channel, and only while it is open", () => {
    const h = connect();
    openWithRings(h, [[1, 9]]);
    h.log.length = 0;
    expect(h.step({ kind: "deviceSignal", relid: 2 })).toMatchObject([{ kind: "rejected", rule: "HOST-SIG-4" }]);
    expect(h.step({ kind: "deviceSignal", relid: 1 })).toEqual([{ kind: "channelSignal", relid: 1, targetVp: 0 }]);
  });

  it("HOST-SIG-1: with the hypercallBackend parameter set to qemu, HvSignalEvent takes QEMU's checks (flag number 0 only)", () => {
    const kvm = connect();
    openWithRings(kvm, [[1, 9]]);
    const qemu = connect(0x40000, { parameters: { hypercallBackend: "qemu" } });
    openWithRings(qemu, [[1, 9]]);
    const signal = { kind: "signalEvent", connectionId: 0x2001, flagNumber: 1 } as const;
    expect(kvm.step(signal).map((o) => o.kind)).toEqual(["deviceNotify", "hypercallStatus"]);
    expect(qemu.step(signal)).toMatchObject([{ kind: "rejected", rule: "HOST-SIG-1" }, { kind: "hypercallStatus", status: HvStatus.INVALID_PORT_ID }]);
  });
});
