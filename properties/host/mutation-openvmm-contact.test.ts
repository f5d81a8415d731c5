/**
 * INITIATE_CONTACT below 6.0 and the order of the offers on the openvmm host (OpenVMM
 * vm/devices/vmbus/vmbus_server/src/channels.rs check_version_supported and
 * handle_request_offers :2700 at microsoft/openvmm 1488a37b): the feature flags field is read
 * from 6.0 only, and the offers are sorted by interface id before the instance id decides.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { FeatureFlag } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, initiate } from "./helpers.js";

describe("openvmm INITIATE_CONTACT below 6.0 and the offer order (HOST-OPENVMM-CONNECT-4, HOST-OPENVMM-PARSE-4, HOST-OPENVMM-OFFER-1)", () => {
  it("HOST-OPENVMM-PARSE-4, HOST-OPENVMM-CONNECT-4: below 6.0 the feature flags are not read: the client-id bit in a 40-byte message connects", () => {
    for (const version of [0x50000, 0x50003]) {
      const h = new Harness(config("openvmm"));
      h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: FeatureFlag.CLIENT_ID, monitorPage1: "0", monitorPage2: "0" });
      expect([version, h.settle(), h.rejections()]).toEqual([version, [{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 1 }], []]);
    }
  });

  it("HOST-OPENVMM-OFFER-1: the interface id orders the offers even when the instance ids are in the other order", () => {
    const [a, b] = DEFAULT_DEVICES;
    // Listed first: the lower interface id with the higher instance id.
    const devices = [
      { ...a!, name: "low-type", interfaceType: "11111111-0000-0000-0000-000000000000", interfaceInstance: "00000000-0000-0000-0000-000000000002", subChannels: 0 },
      { ...b!, name: "high-type", interfaceType: "22222222-0000-0000-0000-000000000000", interfaceInstance: "00000000-0000-0000-0000-000000000001" },
    ];
    const h = new Harness(config("openvmm", { devices }));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    const offers = h.settle().flatMap((m: Message) => (m.type === "OfferChannel" ? [[m.childRelid, m.interfaceType.slice(0, 1)]] : []));
    expect(offers).toEqual([[1, "1"], [2, "2"]]);
  });
});
