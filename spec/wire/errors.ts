/** The wire layer's error and warning values: a kind, one clear line, and the rule applied. */
export type WireErrorKind =
  | "tooShort" // fewer bytes than the message/form's fixed size (WIRE-LEN-1)
  | "tooLong" // more than the 240-byte SynIC payload (WIRE-LEN-3)
  | "unknownType" // type 0 or ≥ 30 (WIRE-HDR-2)
  | "typeNotInVersion" // type needs a newer version or a feature bit (WIRE-VER-1/2)
  | "wrongDirection" // type travels the other way (WIRE-DIR-1)
  | "countMismatch" // GPADL counts disagree with the data (WIRE-GPADL-*)
  | "badField"; // a value the field or form does not allow

export interface WireError {
  readonly kind: WireErrorKind;
  /** One line naming exactly what is wrong. */
  readonly message: string;
  /** The rule this error applies, when one does. */
  readonly rule?: string;
  /** Message type number, when known. */
  readonly messageType?: number;
  /** Layout (message/form) the error is about, e.g. "OfferChannel.preWin7". */
  readonly layout?: string;
  /** Field path, e.g. "OpenChannel.userData". */
  readonly field?: string;
  /** For tooShort/tooLong: bytes needed (or allowed) and bytes present. */
  readonly need?: number;
  readonly got?: number;
}

export interface WireWarning {
  readonly kind: "reservedNonZero" | "featureFlagsBeforeCopper" | "clientIdMissing" | "supportedFeaturesMissing" | "byteOffsetBeyondPage";
  readonly message: string;
  readonly field: string;
  readonly offset: number;
  readonly rule?: string;
}

export const wireError = (kind: WireErrorKind, message: string, extra: Omit<WireError, "kind" | "message"> = {}): WireError => ({ kind, message, ...extra });
