/**
 * The openvmm host before any message: the OpenVMM state it starts from (every channel prepared
 * but not offered, ClientReleased with no channel id, as handle_request_offers asserts before it
 * offers them; nothing in progress or queued: OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * offer_channel and handle_request_offers :2700 at microsoft/openvmm 1488a37b) and the shape of its
 * rule table.
 */
import { describe, expect, it } from "vitest";
import { initialHostState } from "../../spec/host/host.js";
import { OPENVMM_RULES } from "../../spec/host/openvmm/rules.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { config } from "./helpers.js";

describe("openvmm host at boot (HOST-OPENVMM-OFFER-1)", () => {
  it("HOST-OPENVMM-OFFER-1: every channel (sub-channels too) starts ClientReleased with id 0; no GPADL, GPADL in progress, reply or connection", () => {
    const released = (offerId: number, device: number, subChannelIndex: number) => ({ offerId, device, subChannelIndex, state: "ClientReleased", channelId: 0, params: null, reserved: null });
    expect(initialHostState(config("openvmm", { devices: DEFAULT_DEVICES })).openvmm).toEqual({
      connection: null, channels: [released(0, 0, 0), released(1, 0, 1), released(2, 1, 0)], nextOfferId: 3,
      gpadls: [], incomplete: [], pending: [], synic: [], crashed: null,
    });
  });

  it("the openvmm rules: host area, the openvmm profile only, an OpenVMM source each", () => {
    expect(OPENVMM_RULES.length).toBeGreaterThan(40);
    for (const r of OPENVMM_RULES) {
      expect([r.id, r.area, r.profiles]).toEqual([r.id, "host", ["openvmm"]]);
      expect([r.id, /^HOST-[A-Z0-9-]+-\d+$/.test(r.id), r.source.startsWith("OpenVMM "), r.sentence.length > 20]).toEqual([r.id, true, true, true]);
    }
  });
});
