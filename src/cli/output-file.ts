/**
 * Output files of long-running commands: the path is checked before the work starts (its
 * directory exists, it is not a directory, it does not exist unless --force), and the file is
 * written atomically (a temporary file in the same directory, then rename).
 */
import { constants } from "node:fs";
import { access, lstat, rename, stat, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** A file problem the user can fix: one line naming the file and the cause (exit 3). */
export class FileError extends Error {}

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

export const prepareOutput = async (path: string, force: boolean): Promise<void> => {
  if (path === "") throw new FileError("cannot write '': empty file name");
  const dir = dirname(path);
  const d = await stat(dir).catch((e: unknown) => {
    throw new FileError(`cannot write ${path}: directory ${dir} ${code(e) === "ENOENT" ? "does not exist" : `is not accessible (${code(e)})`}`);
  });
  if (!d.isDirectory()) throw new FileError(`cannot write ${path}: ${dir} is not a directory`);
  await access(dir, constants.W_OK).catch(() => {
    throw new FileError(`cannot write ${path}: directory ${dir} is not writable`);
  });
  const f = await lstat(path).catch(() => null);
  if (f?.isDirectory()) throw new FileError(`cannot write ${path}: it is a directory`);
  if (f && !force) throw new FileError(`${path} exists: not overwritten (use --force to replace it)`);
};

export const writeAtomically = async (path: string, text: string, force: boolean): Promise<void> => {
  await prepareOutput(path, force);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { flag: "wx" });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new FileError(`cannot write ${path}: ${code(e)}`);
  }
};
