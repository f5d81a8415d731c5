import { describe, expect, it } from "vitest";
import { guestView } from "../../spec/guest/view.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, postAll, rules, types, versionResponse, guest, post1 } from "./harness.js";

const H = 0xe1e10;

describe("rescind (GUEST-RESCIND-*)", () => {
  it("an offered channel is removed and RELID_RELEASED posted", () => {
    const g = connected(Version.WIN10);
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    expect(g.state.channels).toEqual([]);
    postAll(g);
    expect(types(g).at(-1)).toBe("RelIdReleased");
  });

  it("GUEST-RESCIND-2: an opened channel is closed (CLOSECHANNEL), no GPADL_TEARDOWN, then RELID_RELEASED", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 });
    const n = g.posted.length;
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    postAll(g);
    expect(types(g).slice(n)).toEqual(["CloseChannel", "RelIdReleased"]);
    expect(guestView(g.state)).toMatchObject({ channelsOpen: [], gpadlsCreated: [], waits: [] });
  });

  it("GUEST-RESCIND-2: a rescind wakes a pending open; unposted GPADL bodies are abandoned", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 30, recvPages: 30 });
    post1(g); // header only
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["RelIdReleased"]);
    expect(guestView(g.state).waits).toEqual([]);
  });

  it("a rescind for an unknown relid is ignored", () => {
    const g = connected(Version.WIN10);
    expect(rules(host(g, { type: "RescindChannelOffer", childRelid: 9 }))).toEqual(["GUEST-RESCIND-1"]);
  });
});

describe("unload (GUEST-UNLOAD-1)", () => {
  it("≥ 3.0: UNLOAD posted once, UNLOAD_RESPONSE ends with nothing open", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "unload" });
    postAll(g);
    expect(types(g).at(-1)).toBe("Unload");
    expect(guestView(g.state).waits).toEqual([{ for: "UnloadResponse" }]);
    host(g, { type: "UnloadResponse" });
    expect(guestView(g.state)).toMatchObject({ phase: "unloaded", channelsOpen: [], gpadlsCreated: [], waits: [] });
  });

  it("below 3.0 no UNLOAD is sent", () => {
    const g = connected(Version.WIN8);
    driver(g, { kind: "unload" });
    expect(g.state.phase).toBe("unloaded");
    expect(types(g)).not.toContain("Unload");
  });

  it("a spurious UNLOAD_RESPONSE is accepted and changes nothing", () => {
    const g = connected(Version.WIN10);
    const before = g.state;
    expect(rules(host(g, { type: "UnloadResponse" }))).toEqual(["GUEST-MATCH-1"]);
    expect(g.state).toEqual(before);
  });

  it("offers before the guest is connected are ignored (GUEST-OFFER-4)", () => {
    const g = guest({ versions: [Version.WIN10] });
    post1(g);
    expect(rules(host(g, { type: "RescindChannelOffer", childRelid: 1 }))).toEqual(["GUEST-OFFER-4"]);
    host(g, versionResponse(true));
    expect(g.state.phase).toBe("connected");
  });
});
