/** Write every JSON Schema (src/schema/catalogue.ts) into `outDir/schemas/`. */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSchema, SCHEMAS } from "./catalogue.js";

export const writeSchemas = async (outDir: string): Promise<{ outDir: string; files: number }> => {
  const dir = join(outDir, "schemas");
  await mkdir(dir, { recursive: true });
  for (const e of SCHEMAS) await writeFile(join(dir, e.file), generateSchema(e));
  return { outDir: dir, files: SCHEMAS.length };
};
