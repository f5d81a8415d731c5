/**
 * Replays a real QEMU 7.2 log (fixtures/qemu-7.2-linux-6.1-boot.log: `-trace 'vmbus_*'` with
 * the log backend, Debian's Linux 6.1 hv_vmbus loaded, unloaded, and loaded again after a
 * reboot) against the `qemu` profile and asserts every line, byte for byte, including the
 * trailing space of `vmbus_terminate_offers ` (formatQemuTrace). The guest's posts are
 * reconstructed from the log: Linux 6.1 tries 5.3, 5.2, 5.1, 5.0 on connection id 4 (refused in
 * the hypercall, no line; HOST-HC-3), then 4.1 and 4.0 on connection id 1 with the monitor and
 * interrupt pages the log prints. QEMU's own interleaving: each post is followed by the runs
 * QEMU scheduled (HOST-RUN-5) and the deliveries, until nothing is pending.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { Harness, config } from "./helpers.js";

const LOG = readFileSync(new URL("./fixtures/qemu-7.2-linux-6.1-boot.log", import.meta.url), "utf8");
/** Log backend lines are `PID@SECONDS.MICROSECONDS:event arguments`. */
const lines = LOG.split("\n").filter((l) => l !== "").map((l) => l.replace(/^\d+@\d+\.\d+:/, ""));

/** The guest's posts, in order, rebuilt from the recv_message lines (and the contact details QEMU printed). */
const guestPosts = (): { message: Message; connectionId: number }[] => {
  const out: { message: Message; connectionId: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^vmbus_recv_message type (\d+) size (\d+)$/.exec(l);
    if (!m) return;
    const type = Number(m[1]);
    if (type === 14) {
      const c = lines.slice(i).find((x) => x.startsWith("vmbus_initiate_contact"));
      const d = /version (\d+)\.(\d+) target vp (\d+) mon pages 0x([0-9a-f]+),0x([0-9a-f]+) int page 0x([0-9a-f]+)/.exec(c ?? "");
      if (!d) throw new Error(`no vmbus_initiate_contact after line ${i}`);
      const version = (Number(d[1]) << 16) | Number(d[2]);
      // Linux 6.1 (Debian): 5.3, 5.2, 5.1, 5.0 first, on connection id 4.
      if (version === 0x40001)
        for (const v of [0x50003, 0x50002, 0x50001, 0x50000])
          out.push({ connectionId: 4, message: { type: "InitiateContact", form: "msgSint", vmbusVersionRequested: v, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: String(BigInt("0x" + d[4])), monitorPage2: String(BigInt("0x" + d[5])) } });
      out.push({
        connectionId: 1,
        message: { type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: version, targetVcpu: Number(d[3]), interruptPage: String(BigInt("0x" + d[6])), monitorPage1: String(BigInt("0x" + d[4])), monitorPage2: String(BigInt("0x" + d[5])) },
      });
    } else if (type === 3) out.push({ connectionId: 1, message: { type: "RequestOffers" } });
    else if (type === 16) out.push({ connectionId: 1, message: { type: "Unload" } });
    else throw new Error(`unexpected guest message type ${type}`);
  });
  return out;
};

describe("real QEMU 7.2 log, Linux 6.1 guest", () => {
  it("the fixture keeps QEMU's trailing space after events with an empty format", () => {
    expect(lines.filter((l) => l.startsWith("vmbus_terminate_offers"))).toEqual(["vmbus_terminate_offers ", "vmbus_terminate_offers "]);
  });
  it("replays line for line (no devices: QEMU 7.2 has no VMBus device models)", () => {
    const h = new Harness(config("qemu", { devices: [] }));
    const statuses: number[] = [];
    for (const p of guestPosts()) {
      statuses.push(h.send(p.message, p.connectionId));
      h.settle();
    }
    expect(statuses.filter((s) => s === HvStatus.INVALID_CONNECTION_ID)).toHaveLength(8);
    expect(h.traces()).toEqual(lines);
    expect(h.defects()).toEqual([]);
  });
});
