/**
 * Where a log comes from: a regular file is read in place; "-" (stdin) and anything that is
 * not a regular file (a FIFO, `<(journalctl …)`) is spooled to a temporary file first, so the
 * checker can read it twice — once for what the log implies, once to check — without holding
 * it in memory. The spool is capped (LIMITS.logSpool): a device such as /dev/zero is refused,
 * not spooled for ever. File errors are FileError (exit 3), the cap an InputError (exit 2).
 */
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { asFileError, FileError, InputError, LIMITS } from "../cli/files.js";

export interface LogSource {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly dispose: () => Promise<void>;
}

const capped = (what: string, cap: number): Transform => {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      total += chunk.length;
      if (total > cap) done(new InputError(`${what} is larger than ${cap / (1 << 30)} GiB, the limit for a log read from a pipe (save it to a file)`));
      else done(null, chunk);
    },
  });
};

const spool = async (input: NodeJS.ReadableStream, name: string): Promise<LogSource> => {
  const dir = await mkdtemp(join(tmpdir(), "vmbus-spec-trace-")).catch((e: unknown) => {
    throw asFileError(tmpdir(), e);
  });
  const path = join(dir, "spooled.log");
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(input, capped(name, LIMITS.logSpool), createWriteStream(path));
    return { path, name, size: (await stat(path)).size, dispose };
  } catch (e) {
    await dispose();
    if (e instanceof InputError) throw e;
    throw new FileError(name, `cannot spool to ${path}: ${asFileError(path, e).reason}`);
  }
};

export const openLog = async (arg: string): Promise<LogSource> => {
  if (arg === "-") return spool(process.stdin, "standard input");
  let st;
  try {
    st = await stat(arg);
  } catch (e) {
    throw asFileError(arg, e);
  }
  if (st.isDirectory()) throw new FileError(arg, "is a directory");
  if (st.isFile()) return { path: arg, name: arg, size: st.size, dispose: async () => undefined };
  return spool(createReadStream(arg), arg);
};
