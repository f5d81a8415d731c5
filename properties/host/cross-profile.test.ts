/**
 * On well-behaved Linux-style traffic at 4.0 every profile gives the same replies, up to the
 * named offer differences (connection id, monitor id: HOST-OFFER-3/-4) and OpenVMM's relid order.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, gpadlMessages, initiate, openMsg } from "./helpers.js";

const normalise = (m: Message): unknown =>
  m.type === "OfferChannel" ? { type: m.type, relid: m.childRelid, sub: m.subChannelIndex, instance: m.interfaceInstance } : m;

it("qemu, strict and openvmm agree on a Linux-style session at 4.0", () => {
  fc.assert(
    fc.property(fc.array(fc.record({ ch: fc.integer({ min: 0, max: 2 }), pages: fc.integer({ min: 4, max: 64 }), close: fc.boolean() }), { maxLength: 4 }), (ops) => {
      const runs = (["qemu", "strict", "openvmm"] as const).map((profile) => {
        const h = new Harness(config(profile));
        const replies: Message[] = [];
        h.send(initiate(0x40000));
        h.send({ type: "RequestOffers" });
        replies.push(...h.settle());
        // Address channels by (instance, sub-channel index) so relid order does not matter.
        const byKey = h.state.channels.map((c) => ({ relid: c.relid, key: `${h.state.devices[c.device]!.interfaceInstance}/${c.subChannelIndex}` })).sort((a, b) => (a.key < b.key ? -1 : 1));
        let gpadl = 0xe1e10;
        const relidOf = new Map<number, string>();
        for (const c of byKey) relidOf.set(c.relid, c.key);
        const open = new Set<number>();
        for (const op of ops) {
          const relid = byKey[op.ch]!.relid;
          if (open.has(relid)) continue;
          const id = gpadl++;
          for (const m of gpadlMessages(relid, id, op.pages)) h.send(m);
          h.send(openMsg(relid, id, op.pages >> 1));
          replies.push(...h.settle());
          open.add(relid);
          if (op.close) {
            h.send({ type: "CloseChannel", childRelid: relid });
            h.send({ type: "GpadlTeardown", childRelid: relid, gpadl: id });
            replies.push(...h.settle());
            open.delete(relid);
          }
        }
        h.send({ type: "Unload" });
        replies.push(...h.settle());
        return replies.map((m) => {
          const n = normalise(m) as Record<string, unknown>;
          for (const k of ["relid", "childRelid", "openId"]) if (typeof n[k] === "number") n[k] = relidOf.get(n[k] as number);
          if (m.type === "VersionResponse") return { type: m.type, supported: m.versionSupported };
          return n;
        });
      });
      const sortOffers = (r: unknown[]): unknown[] => {
        const offers = r.filter((m) => (m as { type: string }).type === "OfferChannel").map((m) => JSON.stringify(m)).sort();
        let i = 0;
        return r.map((m) => ((m as { type: string }).type === "OfferChannel" ? JSON.parse(offers[i++]!) : m));
      };
      expect(sortOffers(runs[1]!)).toEqual(sortOffers(runs[0]!));
      expect(sortOffers(runs[2]!)).toEqual(sortOffers(runs[0]!));
    }),
    { numRuns: 60 },
  );
});
