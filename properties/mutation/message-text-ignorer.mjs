// Stryker ignorer "message-text": mutants inside prose are not generated. A string or template
// literal is prose when its text contains a space (a rejection reason, a defect description, a
// rule sentence); identifiers, tags, rule IDs and keys have none and are still mutated. A `+`
// that joins prose is prose too. docs/testing.md explains the choice.
import { PluginKind, declareValuePlugin } from "@stryker-mutator/api/plugin";

const isProse = (node) => {
  if (!node) return false;
  if (node.type === "StringLiteral") return /\s/.test(node.value);
  if (node.type === "TemplateLiteral") return node.quasis.some((q) => /\s/.test(q.value.cooked ?? q.value.raw));
  if (node.type === "BinaryExpression" && node.operator === "+") return isProse(node.left) || isProse(node.right);
  return false;
};

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "message-text", {
    shouldIgnore(path) {
      return isProse(path.node) ? "message text is not part of the contract" : undefined;
    },
  }),
];
