/**
 * What the guest waits for and believes (spec/guest/view.ts), on hand-built guest states: a
 * reply is awaited once its request left the outbox (the post went out) and the phase, GPADL,
 * channel or MODIFYCHANNEL still needs it; a request of another type, or for another GPADL or
 * channel, still in the outbox does not stand for it. The system's liveness rule SYS-LIVE-2
 * and the invariants read these waits.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { ChannelPhase, GuestChannel, GuestGpadl, GuestState } from "../../spec/guest/state.js";
import { guestView, guestWaits } from "../../spec/guest/view.js";
import { guestChannel } from "../support/guest-states.js";

type Queued = GuestState["outbox"][number]["message"];
/** An outbox entry: only the fields the waits read matter, so the message is given by them. */
const post = (message: Record<string, unknown>): GuestState["outbox"][number] => ({ lane: 0, connectionId: 4, message: message as unknown as Queued, attempts: 0 });
const channel = (relid: number, phase: ChannelPhase): GuestChannel => guestChannel(relid, phase);
const gpadl = (handle: number, relid: number, state: GuestGpadl["state"]): GuestGpadl => ({ handle, relid, purpose: "buffer", pages: 1, state });
const state = (o: Partial<GuestState>): GuestState => ({ ...initialGuestState(DEFAULT_GUEST_CONFIG), phase: "connected", version: 0x00050003, outbox: [], ...o });

describe("guestWaits (SYS-LIVE-2 reads them)", () => {
  it("VersionResponse: while connecting, once INITIATE_CONTACT left the outbox", () => {
    const connecting = state({ phase: "connecting", requestedVersion: 0x00050002, version: null });
    expect(guestWaits(connecting)).toEqual([{ for: "VersionResponse", version: 0x00050002 }]);
    expect(guestWaits({ ...connecting, outbox: [post({ type: "InitiateContact" })] })).toEqual([]);
    expect(guestWaits({ ...connecting, outbox: [post({ type: "RequestOffers" })] })).toEqual([{ for: "VersionResponse", version: 0x00050002 }]);
    expect(guestWaits(state({}))).toEqual([]);
  });

  it("UnloadResponse: while disconnecting, once UNLOAD left the outbox", () => {
    const leaving = state({ phase: "disconnecting" });
    expect(guestWaits(leaving)).toEqual([{ for: "UnloadResponse" }]);
    expect(guestWaits({ ...leaving, outbox: [post({ type: "Unload" })] })).toEqual([]);
    expect(guestWaits({ ...leaving, outbox: [post({ type: "RequestOffers" })] })).toEqual([{ for: "UnloadResponse" }]);
  });

  it("GpadlCreated: a GPADL being created, once its GPADL_HEADER and GPADL_BODYs left the outbox", () => {
    const s = state({ gpadls: [gpadl(0xe1e10, 1, "creating"), gpadl(0xe1e11, 2, "created")] });
    const want = [{ for: "GpadlCreated", relid: 1, gpadl: 0xe1e10 }];
    expect(guestWaits(s)).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlHeader", gpadl: 0xe1e10 })] })).toEqual([]);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlBody", gpadl: 0xe1e10 })] })).toEqual([]);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlHeader", gpadl: 0xe1e11 })] })).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlTeardown", gpadl: 0xe1e10 })] })).toEqual(want);
  });

  it("GpadlTorndown: a GPADL being torn down, once its GPADL_TEARDOWN left the outbox", () => {
    const s = state({ gpadls: [gpadl(0xe1e10, 1, "tearingDown")] });
    const want = [{ for: "GpadlTorndown", gpadl: 0xe1e10 }];
    expect(guestWaits(s)).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlTeardown", gpadl: 0xe1e10 })] })).toEqual([]);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlTeardown", gpadl: 0xe1e11 })] })).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "GpadlHeader", gpadl: 0xe1e10 })] })).toEqual(want);
  });

  it("OpenChannelResult: a channel being opened, once its OPENCHANNEL left the outbox", () => {
    const s = state({ channels: [channel(1, { name: "opening", gpadl: 0xe1e10, sendPages: 2 }), channel(2, { name: "opened", gpadl: 0xe1e11 }), channel(3, { name: "offered" })] });
    const want = [{ for: "OpenChannelResult", relid: 1 }];
    expect(guestWaits(s)).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "OpenChannel", childRelid: 1 })] })).toEqual([]);
    expect(guestWaits({ ...s, outbox: [post({ type: "OpenChannel", childRelid: 2 })] })).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "CloseChannel", childRelid: 1 })] })).toEqual(want);
  });

  it("ModifyChannelResponse: from protocol 5.3 on, a pending MODIFYCHANNEL once it left the outbox", () => {
    const s = state({ modifyPending: [{ relid: 1, targetVp: 1 }] });
    const want = [{ for: "ModifyChannelResponse", relid: 1 }];
    expect(guestWaits(s)).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "ModifyChannel", childRelid: 1 })] })).toEqual([]);
    expect(guestWaits({ ...s, outbox: [post({ type: "ModifyChannel", childRelid: 2 })] })).toEqual(want);
    expect(guestWaits({ ...s, outbox: [post({ type: "CloseChannel", childRelid: 1 })] })).toEqual(want);
    // Before 5.3 the host sends no MODIFYCHANNEL_RESPONSE, and before contact there is no version.
    expect(guestWaits({ ...s, version: 0x00050002 })).toEqual([]);
    expect(guestWaits({ ...s, version: null })).toEqual([]);
  });

  it("several at once, in the order: connection, GPADLs, channels, MODIFYCHANNEL", () => {
    const s = state({
      phase: "disconnecting",
      gpadls: [gpadl(0xe1e10, 1, "creating"), gpadl(0xe1e11, 1, "tearingDown")],
      channels: [channel(1, { name: "opening", gpadl: 0xe1e12, sendPages: 2 })],
      modifyPending: [{ relid: 1, targetVp: 0 }],
    });
    expect(guestWaits(s).map((w) => w.for)).toEqual(["UnloadResponse", "GpadlCreated", "GpadlTorndown", "OpenChannelResult", "ModifyChannelResponse"]);
  });
});

describe("guestView", () => {
  it("phase, version, connection id, offered relids, open channels with their GPADLs, created GPADLs, waits and pending posts", () => {
    const s = state({
      messageConnectionId: 4,
      channels: [channel(1, { name: "opened", gpadl: 0xe1e10 }), channel(2, { name: "offered" }), channel(3, { name: "closing", gpadl: 0xe1e12 })],
      gpadls: [gpadl(0xe1e10, 1, "created"), gpadl(0xe1e11, 2, "creating"), gpadl(0xe1e12, 3, "tearingDown")],
      outbox: [post({ type: "GpadlHeader", gpadl: 0xe1e11 })],
    });
    expect(guestView(s)).toEqual({
      phase: "connected",
      version: 0x00050003,
      messageConnectionId: 4,
      offeredRelids: [1, 2, 3],
      channelsOpen: [{ relid: 1, gpadl: 0xe1e10 }],
      gpadlsCreated: [{ handle: 0xe1e10, relid: 1 }],
      waits: [{ for: "GpadlTorndown", gpadl: 0xe1e12 }],
      pendingPosts: 1,
    });
  });

});
