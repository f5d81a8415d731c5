/**
 * Every generated file under docs/: its path (relative to the project root) and the pure
 * function (in spec/) that produces its text. `vmbus-spec docs --write` writes them;
 * properties/docs.test.ts fails when a committed file differs from what its generator produces.
 * Add an entry here for each new generated document.
 */
import { generateWireDoc } from "./wire-doc.js";
import { generateRingDoc } from "./ring-doc.js";
import { generateRulesDoc } from "./rules-doc.js";
import { generateSourcesDoc } from "./sources-doc.js";
import { generateHostDoc } from "./host-doc.js";
import { generateSystemDoc } from "./system-doc.js";
import { generateMutationDoc, spliceTestingDoc } from "./mutation-doc.js";
import { generateSchema, SCHEMAS } from "../schema/catalogue.js";

export interface GeneratedDoc {
  readonly path: string;
  /** The text, for the project rooted at `root` (only the rule catalogue reads the tree). */
  readonly generate: (root: string) => string;
}

export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  { path: "docs/wire.md", generate: generateWireDoc },
  { path: "docs/ring.md", generate: generateRingDoc },
  { path: "docs/host.md", generate: generateHostDoc },
  { path: "docs/system.md", generate: generateSystemDoc },
  { path: "docs/rules.md", generate: (root) => generateRulesDoc(root) },
  // JSON Schemas of the vector and script formats, generated from their io-ts codecs.
  ...SCHEMAS.map((e) => ({ path: `docs/schemas/${e.file}`, generate: () => generateSchema(e) })),
  { path: "docs/sources.md", generate: () => generateSourcesDoc() },
  // The mutation score of spec/, from the committed summary of the StrykerJS reports.
  { path: "docs/mutation.md", generate: (root) => generateMutationDoc(root) },
  // docs/testing.md is written by hand except its block with the per-folder mutation score.
  { path: "docs/testing.md", generate: (root) => spliceTestingDoc(root) },
];
