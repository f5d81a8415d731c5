/**
 * io-ts codecs for the wire vector files (docs/vectors.md), so that replaying vectors — ours or
 * a third party's edited copy — fails with the path of the bad field, not a crash.
 */
import * as t from "io-ts";
import { isLeft } from "fp-ts/lib/Either.js";
import { formatErrors, Hex, U32, U64 } from "./primitives.js";
import { MessageJson } from "./messages.js";

export const SUPPORTED_FORMAT_VERSION = 1;

const FormatVersion = t.literal(SUPPORTED_FORMAT_VERSION);
const Direction = t.union([t.literal("host-to-guest"), t.literal("guest-to-host")]);
export const DecodeContextJson = t.exact(t.partial({ version: U32, direction: Direction, features: U32 }), "DecodeContext");
const WireErrorKind = t.keyof(
  { tooShort: null, tooLong: null, unknownType: null, typeNotInVersion: null, wrongDirection: null, countMismatch: null, badField: null },
  "wire error kind",
);

export const ValidCaseJson = t.intersection([
  t.type({ id: t.string, context: DecodeContextJson, hex: Hex, message: MessageJson, trailingBytes: t.number }),
  t.partial({ form: t.string }),
]);
export const InvalidCaseJson = t.type({ id: t.string, description: t.string, context: DecodeContextJson, hex: Hex, error: WireErrorKind });

export const MessageVectorFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("wire-message"),
  messageType: t.number,
  name: t.string,
  valid: t.array(ValidCaseJson),
  invalid: t.array(InvalidCaseJson),
});

const FrameExpect = t.union([t.type({ ok: t.literal(true) }), t.type({ ok: t.literal(false), error: t.string })]);
export const FramingVectorFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("wire-framing"),
  synic: t.array(t.type({ id: t.string, hex: Hex, expect: FrameExpect })),
  post: t.array(t.type({ id: t.string, hex: Hex, expect: FrameExpect })),
});

const RangeJson = t.type({ byteCount: U32, byteOffset: U32, pfns: t.array(U64) });
export const GpadlVectorFileJson = t.type({
  formatVersion: FormatVersion,
  kind: t.literal("wire-gpadl"),
  cases: t.array(
    t.type({
      id: t.string,
      messages: t.array(Hex),
      expect: t.union([t.type({ ok: t.literal(true), ranges: t.array(RangeJson) }), t.type({ ok: t.literal(false), error: t.string })]),
    }),
  ),
});

export const WireIndexJson = t.type({ formatVersion: FormatVersion, kind: t.literal("wire-index"), files: t.array(t.string), valid: t.number, invalid: t.number });

/** Decode a parsed JSON value with `codec`, or the error lines (path: expected …, got …). */
export const decodeWith = <A>(codec: t.Type<A, unknown, unknown>, root: string, u: unknown): { ok: true; value: A } | { ok: false; errors: string[] } => {
  const r = codec.decode(u);
  return isLeft(r) ? { ok: false, errors: formatErrors(root, r.left) } : { ok: true, value: r.right };
};
