/**
 * Where a log comes from: a file path, or "-" (stdin, spooled to a temporary file so the
 * checker can read it twice — once for what the log implies, once to check — without holding
 * it in memory). File errors are reported as `FileError` with the path and the cause.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

export class FileError extends Error {}

const cause = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err?.code === "ENOENT" ? "no such file" : err?.code === "EACCES" ? "permission denied" : err?.code === "EISDIR" ? "is a directory" : (err?.message ?? String(e)).split("\n")[0]!;
};

export interface LogSource {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly dispose: () => void;
}

export const openLog = async (arg: string): Promise<LogSource> => {
  if (arg !== "-") {
    try {
      const st = statSync(arg);
      if (st.isDirectory()) throw new FileError(`cannot read ${arg}: is a directory`);
      return { path: arg, name: arg, size: st.size, dispose: () => undefined };
    } catch (e) {
      if (e instanceof FileError) throw e;
      throw new FileError(`cannot read ${arg}: ${cause(e)}`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "vmbus-spec-trace-"));
  const path = join(dir, "stdin.log");
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    await pipeline(process.stdin, createWriteStream(path));
    return { path, name: "stdin", size: statSync(path).size, dispose };
  } catch (e) {
    dispose();
    throw new FileError(`cannot spool stdin to ${path}: ${cause(e)}`);
  }
};

/** Refuse to overwrite an existing file unless forced. */
export const checkWritable = (path: string, force: boolean): void => {
  let exists = false;
  try {
    statSync(path);
    exists = true;
  } catch {
    exists = false;
  }
  if (exists && !force) throw new FileError(`${path} exists (use --force to overwrite it)`);
};

export { cause as fileErrorCause };
