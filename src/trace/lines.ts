/**
 * Streaming line reader for trace logs: the file is read in chunks and never held whole; a line
 * longer than `maxLine` bytes is cut (reported `overlong`, its rest skipped up to the newline),
 * and a line that is not UTF-8 text or holds NUL bytes is reported `binary`. Both are for the
 * caller to turn into one clear message.
 */
import { createReadStream } from "node:fs";

export const MAX_LINE_BYTES = 4096;

export interface LogLine {
  readonly lineNo: number;
  readonly text: string;
  readonly overlong: boolean;
  readonly binary: boolean;
  /** Bytes read so far (for progress). */
  readonly offset: number;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

const toLine = (buf: Buffer, lineNo: number, overlong: boolean, offset: number): LogLine => {
  let binary = buf.includes(0);
  let text = "";
  if (!binary) {
    try {
      text = decoder.decode(buf);
    } catch {
      binary = true;
    }
  }
  return { lineNo, text: binary ? "" : text, overlong, binary, offset };
};

/** Lines of `path` ("-" is not handled here: callers spool stdin to a file first). */
export async function* readLines(path: string, maxLine = MAX_LINE_BYTES): AsyncGenerator<LogLine> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let parts: Buffer[] = [];
  let partLen = 0;
  let overlong = false;
  let lineNo = 0;
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      const room = maxLine - partLen;
      if (end - start > room) overlong = true;
      if (room > 0) {
        const piece = chunk.subarray(start, start + Math.min(room, end - start));
        parts.push(piece);
        partLen += piece.length;
      }
      if (nl < 0) break;
      lineNo++;
      yield toLine(Buffer.concat(parts, partLen), lineNo, overlong, offset + nl);
      parts = [];
      partLen = 0;
      overlong = false;
      start = nl + 1;
    }
    offset += chunk.length;
  }
  if (partLen > 0 || overlong) {
    lineNo++;
    yield toLine(Buffer.concat(parts, partLen), lineNo, overlong, offset);
  }
}

/** In-memory lines as a log (tests, generated logs). */
export const linesOf = (texts: readonly string[]): LogLine[] =>
  texts.map((text, i) => ({ lineNo: i + 1, text, overlong: Buffer.byteLength(text) > MAX_LINE_BYTES, binary: text.includes("\0"), offset: 0 }));
