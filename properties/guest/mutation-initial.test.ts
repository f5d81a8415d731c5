/**
 * The guest's first state (GUEST-VERSION-1/5): what it posts first, and nothing when no version
 * is left to try (mutation testing: initialGuestState's fields).
 */
import { describe, expect, it } from "vitest";
import { Limits } from "../../spec/wire/constants.js";
import { Version } from "../../spec/wire/versions.js";
import { guest } from "./harness.js";

describe("GUEST-VERSION-1: the first state", () => {
  it("connecting with the first candidate, INITIATE_CONTACT queued, nothing else held", () => {
    const g = guest({ versions: [Version.WIN10_V5_3, Version.WIN10_V4_1] });
    expect(g.state).toMatchObject({
      phase: "connecting", candidate: 0, requestedVersion: Version.WIN10_V5_3, version: null, messageConnectionId: 1,
      allOffersDelivered: false, channels: [], gpadls: [], nextGpadl: Limits.LINUX_FIRST_GPADL_HANDLE, modifyPending: [],
    });
    expect(g.state.outbox.map((o) => o.message)).toMatchObject([{ type: "InitiateContact", vmbusVersionRequested: Version.WIN10_V5_3 }]);
  });
  it("GUEST-VERSION-5: with no candidate the guest has failed and posts nothing", () => {
    const g = guest({ versions: [] });
    expect(g.state).toMatchObject({ phase: "failed", requestedVersion: 0, outbox: [] });
  });
});
