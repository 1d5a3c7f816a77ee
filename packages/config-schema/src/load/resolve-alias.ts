import { isAlias, visit, type Alias, type Document, type Node } from 'yaml';

/** Per document: its anchored nodes and aliases in document order, gathered once. */
const anchorsAndAliases = new WeakMap<Document, Node[]>();

/**
 * The node `alias` refers to: the last node anchored with its name before it, as yaml's
 * `Alias.resolve(doc)`. That walks the whole document on every call, so a file with many merge
 * keys took time quadratic in its size (a 6 MB CI file with 600 `<<: *defaults`: 517 s); here the
 * walk is made once per document. For documents no longer changed: the conversion and error
 * location, after `--set` and `${VAR}` were applied.
 */
export function resolveAlias(alias: Alias, doc: Document): Node | undefined {
  let nodes = anchorsAndAliases.get(doc);
  if (!nodes) {
    const found: Node[] = [];
    visit(doc, { Node: (_key, node) => void ((isAlias(node) || (node as { anchor?: string }).anchor) && found.push(node)) });
    anchorsAndAliases.set(doc, (nodes = found));
  }
  let target: Node | undefined;
  for (const node of nodes) {
    if (node === alias) break;
    if (node.anchor === alias.source) target = node;
  }
  return target;
}
