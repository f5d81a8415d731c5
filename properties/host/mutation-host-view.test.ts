/**
 * hostView (spec/host/host.ts), the profile-independent summary the system model and the CLI read:
 * each field against a scenario that sets it. Stryker showed its filters and the version guard
 * untested in spec/host.
 */
import { describe, expect, it } from "vitest";
import { hostView } from "../../spec/host/host.js";
import { Harness, config, connected, gpadlMessages, initiate, openWithRings, post } from "./helpers.js";

describe("hostView", () => {
  it("HOST-CONNECT-1: qemu's version counts only once its VERSION_RESPONSE is delivered", () => {
    const h = new Harness(config("qemu"));
    expect(hostView(h.state)).toEqual({ connected: false, version: undefined, messageConnectionIds: [1], offeredRelids: [], openChannels: [], gpadls: [], messageInFlight: false, queuedIncoming: 0 });
    h.send(initiate(0x40000));
    expect(hostView(h.state).queuedIncoming).toBe(1);
    h.step({ kind: "run" });
    h.step({ kind: "run" });
    expect(h.state.version).toBe(0x40000);
    expect(hostView(h.state)).toMatchObject({ connected: false, version: undefined, messageInFlight: true, queuedIncoming: 0 });
    h.step({ kind: "deliveryResult", result: "delivered" });
    expect(hostView(h.state)).toMatchObject({ connected: true, version: 0x40000, messageInFlight: false });
  });

  it("HOST-RESCIND-1, HOST-GPADL-4: offered relids leave out rescinded channels; GPADLs say whether their range data is complete", () => {
    const h = connected("strict", 0x50000);
    openWithRings(h, [[1, 7]]);
    const [header] = gpadlMessages(2, 8, 40); // the PFNs need GPADL_BODY messages: header only is incomplete
    h.send(header!);
    h.settle();
    h.step({ kind: "rescindChannel", relid: 3 });
    expect(hostView(h.state)).toEqual({
      connected: true,
      version: 0x50000,
      messageConnectionIds: [1, 4],
      offeredRelids: [1, 2],
      openChannels: [{ relid: 1, gpadl: 7 }],
      gpadls: [
        { id: 8, childRelid: 2, complete: false, state: "init" },
        { id: 7, childRelid: 1, complete: true, state: "alive" },
      ],
      messageInFlight: false,
      queuedIncoming: 0,
    });
    h.step(post({ type: "RequestOffers" }, 4));
    expect(hostView(h.state).queuedIncoming).toBe(1);
  });

  it("HOST-OPEN-1: a channel being opened is not listed as open until OPENCHANNEL_RESULT (qemu OPENING)", () => {
    const h = connected("qemu");
    for (const m of gpadlMessages(1, 7, 4)) h.send(m);
    h.settle();
    h.send({ type: "OpenChannel", form: "v1", childRelid: 1, openId: 1, ringBufferGpadlHandle: 7, targetVp: 0, downstreamRingBufferPageOffset: 2, userData: "00".repeat(120) });
    h.step({ kind: "run" });
    expect(h.state.channels[0]!.isOpen).toBe(true);
    expect(hostView(h.state).openChannels).toEqual([]);
    h.settle();
    expect(hostView(h.state).openChannels).toEqual([{ relid: 1, gpadl: 7 }]);
  });
});
