/**
 * A guest step announces every wait that began with it (a "wait" output), and only those: a wait
 * is new unless the state before the step had the same wait — the same reply awaited for the same
 * channel or GPADL. GUEST-MODIFY-1 (MODIFYCHANNEL_RESPONSE awaited from 5.3) and GUEST-OPEN-1
 * (OPENCHANNEL_RESULT awaited once OPENCHANNEL is posted) give waits of different kinds on one
 * channel and waits of one kind on different channels.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { guestStep } from "../../spec/guest/guest.js";
import type { GuestOutput } from "../../spec/guest/io.js";
import type { Outgoing } from "../../spec/guest/state.js";
import { Version } from "../../spec/wire/versions.js";
import { connectedGuest, guestChannel } from "../support/guest-states.js";

const RING = 0xe1e10;
const queued = (lane: number, message: Outgoing["message"]): Outgoing => ({ lane, connectionId: 4, message, attempts: 0 });
const waits = (outs: readonly GuestOutput[]) => outs.flatMap((o) => (o.kind === "wait" ? [o.wait] : []));

describe("waits announced by a step", () => {
  it("GUEST-MODIFY-1: posting MODIFYCHANNEL on a channel whose OPENCHANNEL_RESULT is awaited announces the MODIFYCHANNEL_RESPONSE wait", () => {
    const s = connectedGuest(DEFAULT_GUEST_CONFIG, {
      version: Version.WIN10_V5_3,
      channels: [guestChannel(5, { name: "opening", gpadl: RING, sendPages: 1 })],
      modifyPending: [{ relid: 5, targetVp: 1 }],
      outbox: [queued(5, { type: "ModifyChannel", childRelid: 5, targetVp: 1 })],
    });
    const r = guestStep(DEFAULT_GUEST_CONFIG, s, { kind: "postResult", lane: 5, status: 0 });
    // The OPENCHANNEL_RESULT wait of the same channel was there before: only the new kind is announced.
    expect(waits(r.outputs)).toEqual([{ for: "ModifyChannelResponse", relid: 5 }]);
  });

  it("GUEST-OPEN-1: posting a second channel's OPENCHANNEL announces its own OPENCHANNEL_RESULT wait", () => {
    const s = connectedGuest(DEFAULT_GUEST_CONFIG, {
      channels: [guestChannel(1, { name: "opening", gpadl: RING, sendPages: 1 }), guestChannel(2, { name: "opening", gpadl: RING + 1, sendPages: 1 })],
      outbox: [queued(2, { type: "OpenChannel", form: "v1", childRelid: 2, openId: 2, ringBufferGpadlHandle: RING + 1, targetVp: 0, downstreamRingBufferPageOffset: 1, userData: "" })],
    });
    const r = guestStep(DEFAULT_GUEST_CONFIG, s, { kind: "postResult", lane: 2, status: 0 });
    expect(waits(r.outputs)).toEqual([{ for: "OpenChannelResult", relid: 2 }]);
  });

  it("a step that changes no wait announces none", () => {
    const s = connectedGuest(DEFAULT_GUEST_CONFIG, { channels: [guestChannel(1, { name: "opening", gpadl: RING, sendPages: 1 })] });
    const r = guestStep(DEFAULT_GUEST_CONFIG, s, { kind: "driver", action: { kind: "createGpadl", relid: 1, pages: 1 } });
    expect(waits(r.outputs)).toEqual([]);
  });
});
