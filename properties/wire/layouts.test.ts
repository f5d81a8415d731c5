/**
 * The layout data agrees with the upstream structs: every offset
 * and size below is typed from the tables; fields never overlap and tile each
 * struct; the io-ts JSON codecs name exactly the layouts' value fields.
 */
import { describe, expect, it } from "vitest";
import { ALL_LAYOUTS, findLayout } from "../../spec/wire/catalogue.js";
import { isValueField } from "../../spec/wire/fields.js";
import { MESSAGE_TABLE } from "../../spec/wire/table.js";
import { MESSAGE_PROPS } from "../../src/io/messages.js";

/** [layout, total size, "field@offset:size" …] — from the upstream structs (docs/sources.md). */
const FACTS: readonly [string, number, readonly string[]][] = [
  ["MessageHeader", 8, ["msgtype@0:4", "padding@4:4"]],
  ["OfferChannel", 196, ["interfaceType@8:16", "interfaceInstance@24:16", "reserved1@40:8", "reserved2@48:8", "channelFlags@56:2", "mmioMegabytes@58:2", "userDefined@60:120", "subChannelIndex@180:2", "mmioMegabytesOptional@182:2", "childRelid@184:4", "monitorId@188:1", "monitorFlags@189:1", "interruptFlags@190:2", "connectionId@192:4"]],
  ["OfferChannel.preWin7", 190, ["childRelid@184:4", "monitorId@188:1", "monitorFlags@189:1"]],
  ["RescindChannelOffer", 12, ["childRelid@8:4"]],
  ["RequestOffers", 8, []],
  ["AllOffersDelivered", 8, []],
  ["Unload", 8, []],
  ["UnloadResponse", 8, []],
  ["Pause", 8, []],
  ["PauseResponse", 8, []],
  ["Resume", 8, []],
  ["OpenChannel", 148, ["childRelid@8:4", "openId@12:4", "ringBufferGpadlHandle@16:4", "targetVp@20:4", "downstreamRingBufferPageOffset@24:4", "userData@28:120"]],
  ["OpenChannel.openChannel2", 156, ["connectionId@148:4", "eventFlag@152:2", "flags@154:2"]],
  ["OpenChannelResult", 20, ["childRelid@8:4", "openId@12:4", "status@16:4"]],
  ["CloseChannel", 12, ["childRelid@8:4"]],
  ["GpadlHeader", 20, ["childRelid@8:4", "gpadl@12:4", "rangeBufferLength@16:2", "rangeCount@18:2"]],
  ["GpadlRange", 8, ["byteCount@0:4", "byteOffset@4:4"]],
  ["GpadlBody", 16, ["msgNumber@8:4", "gpadl@12:4"]],
  ["GpadlCreated", 20, ["childRelid@8:4", "gpadl@12:4", "creationStatus@16:4"]],
  ["GpadlTeardown", 16, ["childRelid@8:4", "gpadl@12:4"]],
  ["GpadlTorndown", 12, ["gpadl@8:4"]],
  ["RelIdReleased", 12, ["childRelid@8:4"]],
  ["InitiateContact", 40, ["vmbusVersionRequested@8:4", "targetVcpu@12:4", "interruptPage@16:8", "monitorPage1@24:8", "monitorPage2@32:8"]],
  ["InitiateContact.msgSint", 40, ["msgSint@16:1", "msgVtl@17:1", "reserved@18:2", "featureFlags@20:4", "monitorPage1@24:8", "monitorPage2@32:8"]],
  ["InitiateContact.clientId", 56, ["featureFlags@20:4", "clientId@40:16"]],
  ["VersionResponse", 16, ["versionSupported@8:1", "connectionState@9:1", "reserved@10:2", "msgConnId@12:4"]],
  ["VersionResponse.copper", 20, ["supportedFeatures@16:4"]],
  ["VersionResponse.serverMonitor", 40, ["supportedFeatures@16:4", "reserved2@20:4", "parentToChildMonitorPageGpa@24:8", "childToParentMonitorPageGpa@32:8"]],
  ["OpenReservedChannel", 28, ["channelId@8:4", "targetVp@12:4", "targetSint@16:4", "ringBufferGpadl@20:4", "downstreamPageOffset@24:4"]],
  ["CloseReservedChannel", 20, ["channelId@8:4", "targetVp@12:4", "targetSint@16:4"]],
  ["CloseReservedResponse", 12, ["channelId@8:4"]],
  ["TlConnectRequest", 40, ["guestEndpointId@8:16", "hostServiceId@24:16"]],
  ["TlConnectRequest.silo", 56, ["siloId@40:16"]],
  ["ModifyChannel", 16, ["childRelid@8:4", "targetVp@12:4"]],
  ["TlConnectResult", 44, ["endpointId@8:16", "serviceId@24:16", "status@40:4"]],
  ["ModifyChannelResponse", 16, ["childRelid@8:4", "status@12:4"]],
  ["ModifyConnection", 24, ["parentToChildMonitorPageGpa@8:8", "childToParentMonitorPageGpa@16:8"]],
  ["ModifyConnectionResponse", 9, ["connectionState@8:1"]],
  ["SynicMessage", 256, ["messageType@0:4", "payloadSize@4:1", "messageFlags@5:1", "reserved@6:2", "sender@8:8", "payload@16:240"]],
  ["HvPostMessageInput", 256, ["connectionId@0:4", "reserved@4:4", "messageType@8:4", "payloadSize@12:4", "payload@16:240"]],
  ["HvSignalEventInput", 8, ["connectionId@0:4", "flagNumber@4:2", "reserved@6:2"]],
  ["MonitorPage", 4096, ["triggerState@0:4", "triggerGroup0Pending@8:4", "triggerGroup3Armed@36:4", "reserved2@40:24", "nextCheckTime@64:512", "latency@576:256", "reserved3@832:256", "parameter@1088:1024", "reserved4@2112:1984"]],
];

describe("layouts agree with the (WIRE-HDR-1, WIRE-FIELD-1)", () => {
  for (const [name, size, fields] of FACTS) {
    it(name, () => {
      const l = findLayout(name);
      expect(l, name).toBeDefined();
      expect(l!.size).toBe(size);
      for (const spec of fields) {
        const [, fname, off, sz] = /^(\w+)@(\d+):(\d+)$/.exec(spec)!;
        const f = l!.fields.find((x) => x.name === fname);
        expect(f, `${name}.${fname}`).toBeDefined();
        expect([f!.offset, f!.size]).toEqual([Number(off), Number(sz)]);
      }
    });
  }

  it("GPADL header: first range at 20, first PFN at 28; capacities 27 / 28 u64 values in 240 bytes", () => {
    const h = findLayout("GpadlHeader")!;
    const ranges = h.fields.find((f) => f.name === "ranges")!;
    const pfns = findLayout("GpadlRange")!.fields.find((f) => f.name === "pfns")!;
    expect(ranges.offset).toBe(20);
    expect(ranges.offset + pfns.offset).toBe(28);
    expect(Math.floor((240 - h.size) / 8)).toBe(27);
    expect(Math.floor((240 - findLayout("GpadlBody")!.size) / 8)).toBe(28);
  });

  it("the packet helper's GpaRange and our GpadlRange describe the same bytes", () => {
    const a = findLayout("GpaRange")!;
    const b = findLayout("GpadlRange")!;
    expect(a.fields.map((f) => [f.name, f.offset, f.size])).toEqual(b.fields.map((f) => [f.name, f.offset, f.size]));
  });

  it("layout names are unique", () => {
    const names = ALL_LAYOUTS.map((l) => l.name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  for (const l of ALL_LAYOUTS) {
    it(`${l.name}: fields are in order (WIRE-FIELD-2), do not overlap and tile the fixed part`, () => {
      const fixed = l.fields.filter((f) => f.type !== "array");
      let at = 0;
      for (const f of fixed) {
        expect(f.offset, `${l.name}.${f.name}`).toBe(at);
        expect(f.size).toBeGreaterThan(0);
        at = f.offset + f.size;
      }
      expect(at).toBe(l.size);
      for (const f of l.fields.filter((x) => x.type === "array")) expect(f.offset).toBe(l.size);
      const widths: Record<string, number> = { u8: 1, u16: 2, u32: 4, u64: 8, guid: 16 };
      for (const f of l.fields) if (widths[f.type] !== undefined) expect(f.size, `${l.name}.${f.name}`).toBe(widths[f.type]);
    });
  }
});

describe("io-ts JSON codecs name exactly the layouts' value fields", () => {
  for (const m of MESSAGE_TABLE) {
    for (const form of m.forms) {
      it(`${m.type}${form.form ? "." + form.form : ""}`, () => {
        const entry = MESSAGE_PROPS[m.type]!;
        const props = (form.form === undefined ? entry : (entry as Record<string, object>)[form.form]) as Record<string, unknown>;
        const jsonKeys = Object.keys(props).filter((k) => k !== "type" && k !== "form").sort();
        const extra = m.type === "GpadlHeader" ? ["ranges"] : m.type === "GpadlBody" ? ["pfns"] : [];
        const layoutKeys = [...form.layout.fields.filter(isValueField).map((f) => f.name), ...extra].sort();
        expect(jsonKeys).toEqual(layoutKeys);
      });
    }
  }
});
