/**
 * The OPENCHANNEL the guest posts, field by field (spec/guest/messages.ts openChannel; GUEST-OPEN-1):
 * mutation run guest6-small2: the `form` tag survived.
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, postAll } from "./harness.js";

describe("GUEST-OPEN-1: the OPENCHANNEL posted after GPADL_CREATED", () => {
  it("v1 form, openid = child_relid, the ring GPADL, target VP = connect VP, page offset = send pages, zero userdata", () => {
    const g = connected(Version.WIN10, [7], { connectVp: 3 });
    driver(g, { kind: "openChannel", relid: 7, sendPages: 5, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 7, gpadl: 0xe1e10, creationStatus: 0 });
    g.posted.length = 0;
    postAll(g);
    expect(g.posted).toEqual([
      {
        connectionId: 1,
        status: 0,
        message: {
          type: "OpenChannel",
          form: "v1",
          childRelid: 7,
          openId: 7,
          ringBufferGpadlHandle: 0xe1e10,
          targetVp: 3,
          downstreamRingBufferPageOffset: 5,
          userData: "00".repeat(120),
        },
      },
    ]);
  });
});
