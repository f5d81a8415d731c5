/**
 * The driver script's bookkeeping beyond one cycle (spec/system/driver.ts): with `cycles` > 1 an
 * OPENCHANNEL is enabled only for a channel the guest believes offered — never again for one that
 * is opened or closing — and the per-channel buffer counts stay sorted by relid whatever order the
 * buffers were made in (progress is compared by its canonical key in the checker's state set).
 */
import { describe, expect, it } from "vitest";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { ChannelPhase, GuestChannel, GuestState } from "../../spec/guest/state.js";
import { DEFAULT_DRIVER } from "../../spec/system/config.js";
import { enabledDriverActions, INITIAL_DRIVER, recordDriverAction } from "../../spec/system/driver.js";
import { Version } from "../../spec/wire/versions.js";
import { checkConfig } from "../../src/explore/check.js";
import { connectedGuest, guestChannel } from "../support/guest-states.js";

const base = checkConfig({ profile: "strict", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: false });
const channel = (relid: number, phase: ChannelPhase): GuestChannel => guestChannel(relid, phase);
const connected = (channels: GuestChannel[]): GuestState => connectedGuest(base.guest, { channels, gpadls: [] });

describe("open with cycles > 1", () => {
  it("only a channel in phase offered is opened again; an opened or closing one is not", () => {
    const s = { ...DEFAULT_DRIVER, channels: 3, cycles: 2, close: false, signal: false, buffers: 0 };
    const g = connected([channel(1, { name: "opened", gpadl: 0xe1e10 }), channel(2, { name: "closing", gpadl: 0xe1e11 }), channel(3, { name: "offered" })]);
    const p = { ...INITIAL_DRIVER, opened: [1, 2, 3] };
    const opens = enabledDriverActions(s, p, g).filter((a) => a.kind === "openChannel");
    expect(opens).toEqual([{ kind: "openChannel", relid: 3, sendPages: s.ringPages.send, recvPages: s.ringPages.recv }]);
  });
});

describe("createGpadl bookkeeping", () => {
  it("buffer counts are sorted by relid even when a higher relid made its buffer first", () => {
    const gp = (relid: number) => ({ kind: "createGpadl" as const, relid, pages: 1 });
    const p = recordDriverAction(recordDriverAction(INITIAL_DRIVER, gp(10)), gp(3));
    expect(p.buffers).toEqual([
      { relid: 3, made: 1 },
      { relid: 10, made: 1 },
    ]);
    const q = recordDriverAction(recordDriverAction(p, gp(7)), gp(1));
    expect(q.buffers.map((b) => b.relid)).toEqual([1, 3, 7, 10]);
  });
});
