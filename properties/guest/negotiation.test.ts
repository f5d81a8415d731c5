import { describe, expect, it } from "vitest";
import { LINUX_VERSIONS } from "../../spec/guest/config.js";
import { guestView } from "../../spec/guest/view.js";
import { HvStatus } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { guest, host, post1, postAll, rules, types, versionResponse } from "./harness.js";

const requested = (m: Message): number => (m.type === "InitiateContact" ? m.vmbusVersionRequested : -1);
const copper = (supported: boolean, msgConnId = 1): Message => ({ type: "VersionResponse", form: "copper", versionSupported: supported ? 1 : 0, connectionState: 0, msgConnId, supportedFeatures: 0 });

describe("guest version negotiation (GUEST-VERSION-*)", () => {
  it("GUEST-VERSION-1, GUEST-VERSION-5: tries 6.0, 5.3 … 2.4 newest first, falling back on version_supported = 0, then gives up without UNLOAD", () => {
    const g = guest();
    for (const v of LINUX_VERSIONS) {
      post1(g);
      expect(requested(g.posted.at(-1)!.message)).toBe(v);
      host(g, v >= Version.WIN10_V6_0 ? copper(false) : versionResponse(false, 0));
    }
    expect(g.state.phase).toBe("failed");
    expect(rules(g.outputs)).toContain("GUEST-VERSION-5");
    expect(g.state.outbox).toEqual([]);
    expect(types(g)).not.toContain("Unload");
  });

  it("GUEST-VERSION-3: INITIATE_CONTACT ≥ 5.0 goes to connection 4 with msg_sint 2; below 5.0 to connection 1 with the interrupt page", () => {
    const g = guest();
    postAll(g, () => HvStatus.INVALID_CONNECTION_ID);
    for (const p of g.posted) {
      const m = p.message;
      if (m.type !== "InitiateContact") throw new Error("not IC");
      if (m.vmbusVersionRequested >= Version.WIN10_V5) {
        expect(p.connectionId).toBe(4);
        expect(m.form === "msgSint" && m.msgSint).toBe(2);
      } else {
        expect(p.connectionId).toBe(1);
        expect(m.form).toBe("interruptPage");
      }
    }
  });

  it("an INITIATE_CONTACT that fails at the hypercall is not retried: the next version is tried at once (QEMU chain: 6.0-5.0 fail, 4.1 refused, 4.0 accepted)", () => {
    const g = guest();
    for (let i = 0; i < 5; i++) post1(g, HvStatus.INVALID_CONNECTION_ID);
    expect(g.posted.map((p) => requested(p.message))).toEqual(LINUX_VERSIONS.slice(0, 5));
    expect(rules(g.outputs).filter((r) => r === "GUEST-VERSION-2")).toHaveLength(5);
    post1(g);
    expect(requested(g.posted.at(-1)!.message)).toBe(Version.WIN10_V4_1);
    host(g, versionResponse(false, 0));
    post1(g);
    expect(requested(g.posted.at(-1)!.message)).toBe(Version.WIN10);
    host(g, versionResponse(true, 0));
    expect(guestView(g.state)).toMatchObject({ phase: "connected", version: Version.WIN10, messageConnectionId: 1 });
    post1(g);
    expect(g.posted.at(-1)).toMatchObject({ connectionId: 1, message: { type: "RequestOffers" } });
  });

  it("from 5.0 the guest adopts msg_conn_id for every later message (GUEST-VERSION-4)", () => {
    const g = guest({ versions: [Version.WIN10_V5_3] });
    post1(g);
    host(g, versionResponse(true, 0x2a));
    post1(g);
    expect(g.posted.at(-1)).toMatchObject({ connectionId: 0x2a, message: { type: "RequestOffers" } });
  });

  it("below 5.0 msg_conn_id is ignored: messages go to connection 1", () => {
    const g = guest({ versions: [Version.WIN10] });
    post1(g);
    host(g, versionResponse(true, 0x2a));
    post1(g);
    expect(g.posted.at(-1)!.connectionId).toBe(1);
  });

  it("GUEST-VERSION-1: max_version skips newer candidates", () => {
    const g = guest({ maxVersion: Version.WIN10_V4_1 });
    post1(g);
    expect(requested(g.posted[0]!.message)).toBe(Version.WIN10_V4_1);
  });

  it("a VERSION_RESPONSE without a pending INITIATE_CONTACT is ignored (GUEST-MATCH-1)", () => {
    const g = guest({ versions: [Version.WIN10] });
    const outs = host(g, versionResponse(true));
    expect(rules(outs)).toEqual(["GUEST-MATCH-1"]);
    expect(g.state.phase).toBe("connecting");
  });
});
