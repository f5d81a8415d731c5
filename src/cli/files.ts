/**
 * File and stream handling shared by every command (docs/cli.md "Files and input"):
 *  - every file error becomes one line naming the file and the cause (FileError, exit 3);
 *  - every input is capped (InputTooLarge, exit 2) and line-oriented input is streamed;
 *  - every file a command replaces is written atomically (temp file in the same directory,
 *    then rename), so a crash or a full disk never leaves half a file behind.
 */
import { randomBytes } from "node:crypto";
import { constants, createReadStream, type ReadStream } from "node:fs";
import { access, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** A file could not be read, written, created or locked: exit 3. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** An input is larger than its documented cap, or not the kind of file expected: exit 2. */
export class InputError extends Error {}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  ENOTDIR: "a component of the path is not a directory",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EEXIST: "already exists",
  EMFILE: "too many open files",
  ENAMETOOLONG: "file name too long",
  ELOOP: "too many symbolic links",
  EFBIG: "file too large",
  EBUSY: "device or resource busy",
};

/** The one-line reason of a Node file-system error. */
export const fileReason = (e: unknown): string => {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === "string") return REASONS[code] ?? `${code.toLowerCase()}`;
  return e instanceof Error ? e.message : String(e);
};

export const asFileError = (file: string, e: unknown): FileError => (e instanceof FileError ? e : new FileError(file, fileReason(e)));

/** Documented input caps (docs/cli.md). */
export const LIMITS = {
  /** A hex or JSON argument read from stdin (decode -, encode -). */
  stdinDocument: 16 * 1024 * 1024,
  /** One line of a JSON-lines input (host scripts, ring write). */
  line: 1024 * 1024,
  /** Lines of one JSON-lines input. */
  lines: 1_000_000,
  /** A device file given to host --devices. */
  smallFile: 1024 * 1024,
  /** A ring image: the control page and at most 1 GiB of data. */
  ringImage: 4096 + 1024 * 1024 * 1024,
  /** A shard's graph file read by `check merge` (about 30 bytes per state and 20 per transition). */
  graphFile: 2 * 1024 * 1024 * 1024,
  /** A log `trace` reads from a pipe or stdin (spooled to a temporary file). */
  logSpool: 4 * 1024 * 1024 * 1024,
} as const;

const sizeText = (n: number): string => (n >= 1 << 20 ? `${n / (1 << 20)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`);

/** Read all of a stream, refusing more than `cap` bytes. */
const readCapped = async (stream: NodeJS.ReadableStream | ReadStream, cap: number, what: string): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream) {
    const b = typeof c === "string" ? Buffer.from(c) : (c as Buffer);
    total += b.length;
    if (total > cap) {
      (stream as ReadStream).destroy?.();
      throw new InputError(`${what} is larger than ${sizeText(cap)}, the limit for this input`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
};

/** Standard input as text, at most `cap` bytes. */
export const readStdinText = async (cap: number = LIMITS.stdinDocument): Promise<string> => (await readCapped(process.stdin, cap, "standard input")).toString("utf8");

/** `file` must exist and be a regular file (checked before a lock file is created next to it); its size. */
export const requireRegularFile = async (file: string): Promise<number> => {
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    throw asFileError(file, e);
  }
  if (st.isDirectory()) throw new FileError(file, "is a directory");
  if (!st.isFile()) throw new InputError(`${file}: not a regular file`);
  return st.size;
};

/**
 * A whole file, at most `cap` bytes. Only regular files are read: a device such as /dev/zero
 * or a FIFO would never end (InputError), a directory is a FileError.
 */
export const readFileCapped = async (file: string, cap: number): Promise<Buffer> => {
  const size = await requireRegularFile(file);
  if (size > cap) throw new InputError(`${file}: ${size} bytes is larger than ${sizeText(cap)}, the limit for this file`);
  try {
    return await readCapped(createReadStream(file), cap, file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw asFileError(file, e);
  }
};

/**
 * The lines of a stream, one at a time (the input is never held whole): at most
 * LIMITS.line bytes per line and LIMITS.lines lines. Yields [lineNumber (1-based), text].
 */
export async function* readLines(stream: NodeJS.ReadableStream, what = "standard input", limits: { line: number; lines: number } = LIMITS): AsyncGenerator<readonly [number, string]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let n = 0;
  const emit = (buf: Buffer): [number, string] => {
    n++;
    if (n > limits.lines) throw new InputError(`${what} has more than ${limits.lines} lines, the limit for this input`);
    let s = buf.toString("utf8");
    if (s.endsWith("\r")) s = s.slice(0, -1);
    return [n, s];
  };
  for await (const c of stream) {
    let b = typeof c === "string" ? Buffer.from(c) : (c as Buffer);
    for (;;) {
      const nl = b.indexOf(10);
      if (nl < 0) {
        pendingBytes += b.length;
        if (pendingBytes > limits.line) throw new InputError(`${what} line ${n + 1} is longer than ${sizeText(limits.line)}, the limit for one line`);
        pending.push(b);
        break;
      }
      const head = b.subarray(0, nl);
      if (pendingBytes + head.length > limits.line) throw new InputError(`${what} line ${n + 1} is longer than ${sizeText(limits.line)}, the limit for one line`);
      const line = pending.length ? Buffer.concat([...pending, head]) : head;
      pending = [];
      pendingBytes = 0;
      yield emit(line);
      b = b.subarray(nl + 1);
    }
  }
  if (pendingBytes > 0) yield emit(Buffer.concat(pending));
}

/** Fail early (before long work) when `file` cannot be created or replaced. */
export const checkWritable = async (file: string): Promise<void> => {
  if (file === "") throw new InputError("an output path must not be empty");
  const dir = dirname(resolve(file));
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    throw new FileError(file, `cannot write: directory ${dir}: ${fileReason(e)}`);
  }
  if (!st.isDirectory()) throw new FileError(file, `cannot write: ${dir} is not a directory`);
  try {
    await access(dir, constants.W_OK);
  } catch (e) {
    throw new FileError(file, `cannot write in ${dir}: ${fileReason(e)}`);
  }
  try {
    if ((await stat(file)).isDirectory()) throw new FileError(file, "is a directory");
  } catch (e) {
    if (e instanceof FileError) throw e;
    if ((e as { code?: string }).code !== "ENOENT") throw asFileError(file, e);
  }
};

export const exists = async (file: string): Promise<boolean> => {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
};

const tempName = (file: string): string => join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);

/**
 * Replace `file` atomically with `data` (temp file in the same directory, fsync, rename).
 * `zeroFill` bytes of zeros follow `data` without being built in memory (sparse when the
 * file system allows): a 1 GiB ring image costs no 1 GiB buffer.
 */
export const writeFileAtomic = async (file: string, data: Uint8Array | string, zeroFill = 0): Promise<void> => {
  const tmp = tempName(file);
  let handle;
  try {
    handle = await open(tmp, "wx", 0o644);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += (await handle.write(bytes, off, bytes.length - off, off)).bytesWritten;
    if (zeroFill > 0) await handle.truncate(bytes.length + zeroFill);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw asFileError(file, e);
  }
};

/** Create a directory (and its parents), with a FileError on failure. */
export const makeDir = async (dir: string): Promise<void> => {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw asFileError(dir, e);
  }
};

/**
 * An exclusive lock on `file` for the duration of `work`: a lock file `file.lock` created
 * with O_EXCL. A lock whose owner process no longer exists is stale and is taken over; a live
 * one is waited for up to `waitMs`, then reported (FileError). See docs/cli.md.
 */
export const withLock = async <T>(file: string, work: () => Promise<T>, waitMs = 10_000): Promise<T> => {
  const lock = `${file}.lock`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const h = await open(lock, "wx", 0o644);
      await h.write(`${process.pid}\n`);
      await h.close();
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") throw new FileError(lock, `cannot create the lock file: ${fileReason(e)}`);
      const owner = await readLockOwner(lock);
      if (owner !== undefined && !processAlive(owner)) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new FileError(file, `locked by process ${owner ?? "?"} (${lock}); remove the lock file if that process is gone`);
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20)));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { force: true }).catch(() => undefined);
  }
};

const readLockOwner = async (lock: string): Promise<number | undefined> => {
  try {
    const h = await open(lock, "r");
    const buf = Buffer.alloc(32);
    const { bytesRead } = await h.read(buf, 0, 32, 0);
    await h.close();
    const pid = Number(buf.subarray(0, bytesRead).toString("utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
};

/** An output file of a long command, checked before the work: writable, and not overwritten without `force`. */
export const prepareOutput = async (file: string, force: boolean): Promise<void> => {
  await checkWritable(file);
  if (!force && (await exists(file))) throw new FileError(file, "exists: not overwritten (use --force to replace it)");
};

/** Write an output file atomically, after the same checks. */
export const writeAtomically = async (file: string, text: string, force: boolean): Promise<void> => {
  await prepareOutput(file, force);
  await writeFileAtomic(file, text);
};
