/**
 * The spec's total-function convention: every decoder and reducer returns a value of this
 * shape instead of throwing. `error` is always a plain, serialisable, named reason.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const err = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });
