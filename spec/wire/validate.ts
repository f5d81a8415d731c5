/**
 * validateMessage: range and consistency checks for messages built by hand (CLI JSON, vectors,
 * reducers). A message that passes encodes canonically and decodes back to itself (without a
 * context). GUIDs and hex are normalised to lowercase in the returned message.
 */
import { err, ok, type Result } from "../result.js";
import { decodeMessage, encodeMessage } from "./codec.js";
import { FeatureFlag, Limits } from "./constants.js";
import { wireError, type WireError } from "./errors.js";
import { isValueField } from "./fields.js";
import { parseGuid } from "./guid.js";
import type { Field } from "./layout.js";
import { type GpadlHeader, type Message, MessageType, type MessageTypeName } from "./messages.js";
import { messageInfo } from "./table.js";
import { isU64 } from "./u64.js";
import { Version } from "./versions.js";

const bad = (path: string, message: string, rule: string = "WIRE-FIELD-2"): WireError =>
  wireError("badField", `${path}: ${message}`, { rule, field: path });

const show = (v: unknown): string => (typeof v === "string" ? `'${v.slice(0, 40)}'` : v === undefined ? "nothing" : JSON.stringify(v)?.slice(0, 40) ?? String(v));

const intMax: Partial<Record<Field["type"], number>> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff };

/** Check one field value; returns the normalised value or an error. */
const checkField = (path: string, f: Field, v: unknown): Result<unknown, WireError> => {
  const max = intMax[f.type];
  if (max !== undefined)
    return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max ? ok(v) : err(bad(path, `expected ${f.type} (0..${max}), got ${show(v)}`));
  if (f.type === "u64") return isU64(v) ? ok(v) : err(bad(path, `expected a u64 as a decimal string (0..18446744073709551615), got ${show(v)}`));
  if (f.type === "guid") {
    if (typeof v !== "string") return err(bad(path, `expected a GUID string, got ${show(v)}`, "WIRE-GUID-1"));
    const g = parseGuid(v);
    return g.ok ? ok(g.value) : err(bad(path, g.error.message, "WIRE-GUID-1"));
  }
  // What is left is "bytes" (isValueField leaves out reserved and array fields); the only byte
  // blobs of channel messages are the 120-byte user-defined areas of OFFERCHANNEL and OPENCHANNEL.
  return typeof v === "string" && v.length === 2 * f.size && /^[0-9a-fA-F]*$/.test(v)
    ? ok(v.toLowerCase())
    : err(bad(path, `expected ${2 * f.size} hex digits, got ${typeof v === "string" ? `${v.length} characters` : show(v)}`, "WIRE-FIELD-1"));
};

const checkU32 = (path: string, v: unknown): WireError | undefined =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? undefined : bad(path, `expected u32 (0..4294967295), got ${show(v)}`);

export const validateMessage = (m: Message): Result<Message, WireError> => {
  if (typeof m !== "object" || m === null || typeof (m as { type?: unknown }).type !== "string" || !Object.hasOwn(MessageType, (m as { type: string }).type) || m.type === ("Invalid" as string))
    return err(wireError("badField", `message.type: expected a message type name, got ${show((m as { type?: unknown } | null)?.type)}`, { rule: "WIRE-HDR-2", field: "type" }));
  const type: MessageTypeName = m.type;
  const info = messageInfo(type);
  const rec = m as unknown as Record<string, unknown>;
  const forms = info.forms.map((f) => f.form);
  const form = rec["form"];
  const fi = info.forms.find((f) => f.form === form);
  if (fi === undefined)
    return err(bad(`${type}.form`, forms[0] === undefined ? `${type} has a single form, got form ${show(form)}` : `expected one of ${forms.join(", ")}, got ${show(form)}`));
  const out: Record<string, unknown> = { ...rec };
  for (const f of fi.layout.fields) {
    if (!isValueField(f)) continue;
    const r = checkField(`${type}.${f.name}`, f, rec[f.name]);
    if (!r.ok) return r;
    out[f.name] = r.value;
  }
  const msg = out as unknown as Message;
  const formErr = checkForm(msg);
  if (formErr) return err(formErr);
  if (msg.type === "GpadlHeader") {
    const list: unknown = msg.ranges;
    if (!Array.isArray(list)) return err(bad("GpadlHeader.ranges", "expected an array of ranges"));
    for (const [i, r] of list.entries()) {
      const p = `GpadlHeader.ranges[${i}]`;
      const e = checkU32(`${p}.byteCount`, r?.byteCount) ?? checkU32(`${p}.byteOffset`, r?.byteOffset);
      if (e) return err(e);
      if (r.byteOffset > 0xfff)
        return err(wireError("badField", `${p}.byteOffset: ${r.byteOffset} is not below the 4096-byte page`, { rule: "WIRE-GPADL-5", field: `${p}.byteOffset` }));
      if (!Array.isArray(r.pfns)) return err(bad(`${p}.pfns`, "expected an array of u64 decimal strings"));
      const j = r.pfns.findIndex((x: unknown) => !isU64(x));
      if (j >= 0) return err(bad(`${p}.pfns[${j}]`, `expected a u64 as a decimal string, got ${show(r.pfns[j])}`));
    }
    // rangeCount counts every range of the GPADL; the header carries the first of them.
    if (list.length > msg.rangeCount)
      return err(wireError("countMismatch", `GpadlHeader carries ${list.length} ranges but rangeCount is ${msg.rangeCount}`, { rule: "WIRE-GPADL-2", field: "GpadlHeader.rangeCount" }));
    // The structural rules (range_buflen, rangecount, PFN counts) are the decoder's: re-decode.
    const d = decodeMessage(encodeMessage(msg));
    if (!d.ok) return err(d.error);
    // The decoder reads the ranges of the message's own data, at most rangeCount of them. While
    // every range so far has the message's PFN count it reads the same ranges, so the first
    // range that differs comes before any index the message lacks.
    const back = d.value.message as GpadlHeader;
    if (back.ranges.some((r, i) => r.pfns.length !== msg.ranges[i]!.pfns.length))
      return err(wireError("countMismatch", "GpadlHeader.ranges: a range other than the last is partial, or ranges continue past a partial range", { rule: "WIRE-GPADL-1", field: "GpadlHeader.ranges" }));
  } else if (msg.type === "GpadlBody") {
    if (!Array.isArray(msg.pfns)) return err(bad("GpadlBody.pfns", "expected an array of u64 decimal strings"));
    const j = msg.pfns.findIndex((x: unknown) => !isU64(x));
    if (j >= 0) return err(bad(`GpadlBody.pfns[${j}]`, `expected a u64 as a decimal string, got ${show(msg.pfns[j])}`));
    if (msg.pfns.length > Limits.GPADL_BODY_DATA_VALUES)
      return err(wireError("countMismatch", `GpadlBody carries ${msg.pfns.length} u64 values, at most ${Limits.GPADL_BODY_DATA_VALUES} fit`, { rule: "WIRE-GPADL-4", field: "GpadlBody.pfns" }));
  }
  // WIRE-LEN-3 needs no check of its own: every fixed form and a GPADL_BODY of at most 28 values
  // fit 240 bytes, and a longer GPADL_HEADER is refused (tooLong, WIRE-LEN-3) by its re-decode.
  return ok(msg);
};

/** Form/field consistency that the decoder's form selection relies on (WIRE-FORM-*). */
const checkForm = (m: Message): WireError | undefined => {
  if (m.type === "InitiateContact") {
    const v = m.vmbusVersionRequested;
    if (m.form === "interruptPage" && v >= Version.WIN10_V5)
      return bad("InitiateContact.form", `interruptPage form is for versions below 5.0, vmbusVersionRequested is 0x${v.toString(16)}`, "WIRE-FORM-2");
    if (m.form !== "interruptPage" && v < Version.WIN10_V5)
      return bad("InitiateContact.form", `${m.form} form is for versions 5.0 and later, vmbusVersionRequested is 0x${v.toString(16)}`, "WIRE-FORM-2");
    if (m.form !== "interruptPage" && v < Version.WIN10_V6_0 && m.featureFlags !== 0)
      return bad("InitiateContact.featureFlags", `feature flags exist only from 6.0; bytes 20..23 are reserved (0) for 0x${v.toString(16)}`, "WIRE-FORM-2");
    // Below 6.0 any feature flag was refused just above: the client_id bit alone decides the form.
    if (m.form === "msgSint" && (m.featureFlags & FeatureFlag.CLIENT_ID) !== 0)
      return bad("InitiateContact.form", "featureFlags has client_id (0x8) with version 6.0: use the clientId form", "WIRE-FORM-2");
    if (m.form === "clientId" && (m.featureFlags & FeatureFlag.CLIENT_ID) === 0)
      return bad("InitiateContact.form", "clientId form needs version 6.0 and the client_id bit (0x8) in featureFlags", "WIRE-FORM-2");
  }
  if (m.type === "VersionResponse" && m.form === "serverMonitor" && (m.supportedFeatures & FeatureFlag.SERVER_SPECIFIED_MONITOR_PAGES) === 0)
    return bad("VersionResponse.supportedFeatures", "serverMonitor form needs server_specified_monitor_pages (0x40)", "WIRE-FORM-3");
  return undefined;
};
