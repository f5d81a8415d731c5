/**
 * A strict host never deadlocks a well-behaved guest: every request the guest waits on
 * (INITIATE_CONTACT, GPADL_HEADER, OPENCHANNEL, GPADL_TEARDOWN, MODIFYCHANNEL from 5.3) gets
 * exactly one answer — a failure where the protocol has one. The guest here is well-behaved
 * in protocol order but asks for things that may fail (bad ranges, bad ring splits, bad VPs).
 * Also: arbitrary junk inputs never make any profile throw.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { hostStep, initialHostState } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import { config, connected, gpadlMessages, initiate, openMsg, post } from "./helpers.js";

const VERSIONS = [0x0d, 0x10001, 0x20004, 0x30000, 0x40000, 0x40001, 0x50000, 0x50002, 0x50003, 0x60000];

const request = fc.record({
  relidIndex: fc.nat(),
  pages: fc.integer({ min: 1, max: 40 }),
  badRange: fc.constantFrom(false, false, false, true),
  offset: fc.integer({ min: 0, max: 41 }),
  vp: fc.constantFrom(0, 1, 2, 7, 0xffffffff),
  modifyVp: fc.option(fc.constantFrom(0, 1, 5, 0xffffffff), { nil: undefined }),
  closeFirst: fc.boolean(),
});

describe("strict answers every request a well-behaved guest waits on", () => {
  for (const profile of ["strict", "openvmm"] as const) {
    it(profile, () => {
      fc.assert(
        fc.property(fc.constantFrom(...VERSIONS), fc.array(request, { minLength: 1, maxLength: 6 }), (version, reqs) => {
          const h = connected(profile, version);
          expect(h.state.connected).toBe(true);
          const offered = h.state.channels.filter((c) => c.offerState === "sent").map((c) => c.relid);
          let id = 100;
          for (const q of reqs) {
            const relid = offered[q.relidIndex % offered.length]!;
            const gid = id++;
            const msgs: Message[] = gpadlMessages(relid, gid, q.pages);
            if (q.badRange && msgs[0]?.type === "GpadlHeader") {
              const hdr = msgs[0];
              msgs[0] = { ...hdr, ranges: hdr.ranges.map((r) => ({ ...r, byteOffset: 0x1000 })) };
            }
            for (const m of msgs) h.send(m);
            const created = h.settle().filter((m) => m.type === "GpadlCreated" && m.gpadl === gid);
            expect(created).toHaveLength(1);
            if (created[0]?.type !== "GpadlCreated" || created[0].creationStatus !== 0) continue;
            h.send(openMsg(relid, gid, q.offset, q.vp));
            const results = h.settle().filter((m) => m.type === "OpenChannelResult" && m.childRelid === relid);
            expect(results).toHaveLength(1);
            const opened = results[0]?.type === "OpenChannelResult" && results[0].status === 0;
            if (opened && q.modifyVp !== undefined && version >= 0x40001) {
              h.send({ type: "ModifyChannel", childRelid: relid, targetVp: q.modifyVp });
              const answers = h.settle().filter((m) => m.type === "ModifyChannelResponse");
              expect(answers).toHaveLength(version >= 0x50003 ? 1 : 0);
            }
            if (opened && q.closeFirst) h.send({ type: "CloseChannel", childRelid: relid });
            h.send({ type: "GpadlTeardown", childRelid: relid, gpadl: gid });
            let torn = h.settle().filter((m) => m.type === "GpadlTorndown" && m.gpadl === gid);
            if (opened && !q.closeFirst) {
              expect(torn).toHaveLength(0); // deferred while the ring is in use (HOST-GPADL-7)
              h.send({ type: "CloseChannel", childRelid: relid });
              torn = h.settle().filter((m) => m.type === "GpadlTorndown" && m.gpadl === gid);
            }
            expect(torn).toHaveLength(1);
          }
          expect(h.state.gpadls).toEqual([]);
        }),
        { numRuns: 120 },
      );
    });
  }
});

describe("junk inputs never throw", () => {
  for (const profile of ["qemu", "strict", "openvmm"] as const) {
    it(profile, () => {
      const cfg = config(profile);
      const junk = fc.record({
        kind: fc.constantFrom("postMessage", "run", "deliveryResult", "signalEvent", "deviceAdded", "rescindChannel", "deviceSignal", "reset", "nonsense"),
        connectionId: fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)),
        messageType: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constant(undefined)),
        payloadSize: fc.oneof(fc.integer({ min: -10, max: 300 }), fc.double(), fc.constant(undefined)),
        payload: fc.oneof(fc.string(), fc.constant("zz"), fc.constant(undefined), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("hex"))),
        result: fc.constantFrom("delivered", "slotBusy", "fatal", "maybe"),
        flagNumber: fc.oneof(fc.integer(), fc.constant(undefined)),
        relid: fc.oneof(fc.integer(), fc.constant(undefined)),
        device: fc.constantFrom({ name: "j", interfaceType: "x", interfaceInstance: "y", subChannels: 3000, channelFlags: 0, mmioMegabytes: 0, openResult: "ok" }, undefined, { name: "k", subChannels: -1 }),
      });
      fc.assert(
        fc.property(fc.array(junk, { maxLength: 40 }), (inputs) => {
          let s = initialHostState(cfg);
          const boot: HostInput[] = [post(initiate(0x40000)), { kind: "run" }, { kind: "run" }];
          for (const i of [...boot, ...inputs]) s = hostStep(cfg, s, i as unknown as HostInput).state;
        }),
        { numRuns: 200 },
      );
    });
  }
});
