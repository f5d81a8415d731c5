/**
 * Before the guest is connected (GUEST-OFFER-4, GUEST-DRIVER-1): offers, rescinds and driver
 * actions change nothing (mutation run guest5: survivors at guest.ts 226, 404).
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import { driver, guest, host, offer, postAll, rules } from "./harness.js";

describe("GUEST-OFFER-4 / GUEST-DRIVER-1 while connecting", () => {
  it("an offer and a rescind while connecting are ignored; a driver action is refused; nothing changes", () => {
    const g = guest({ versions: [Version.WIN10] });
    postAll(g);
    const before = g.state;
    expect(rules(host(g, offer(1)))).toEqual(["GUEST-OFFER-4"]);
    expect(rules(host(g, { type: "RescindChannelOffer", childRelid: 1 }))).toEqual(["GUEST-OFFER-4"]);
    expect(rules(driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "unload" }))).toEqual(["GUEST-DRIVER-1"]);
    expect(g.state).toEqual(before);
  });
});
