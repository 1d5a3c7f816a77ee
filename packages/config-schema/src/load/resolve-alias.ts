import { isAlias, visit, type Alias, type Document, type Node } from 'yaml';

/** Per document: the target of each alias, and the last node anchored with each name. */
interface Targets {
  readonly byAlias: Map<Alias, Node | undefined>;
  readonly last: Map<string, Node>;
}

const targetsOf = new WeakMap<Document, Targets>();

/**
 * The node `alias` refers to: the last node anchored with its name before it, as yaml's
 * `Alias.resolve(doc)`. That walks the whole document on every call, so a file with many merge
 * keys took time quadratic in its size (a 6 MB CI file with 600 `<<: *defaults`: 517 s); here one
 * walk per document finds the target of every alias (a list scanned per alias was still
 * quadratic: 20,000 aliases took 9 s). For documents no longer changed: the conversion and error
 * location, after `--set` and `${VAR}` were applied. An alias not in the document gets the last
 * node anchored with its name.
 */
export function resolveAlias(alias: Alias, doc: Document): Node | undefined {
  let targets = targetsOf.get(doc);
  if (!targets) {
    const byAlias = new Map<Alias, Node | undefined>();
    const last = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) byAlias.set(node, last.get(node.source));
        const anchor = (node as { anchor?: string }).anchor;
        if (anchor) last.set(anchor, node);
      },
    });
    targetsOf.set(doc, (targets = { byAlias, last }));
  }
  return targets.byAlias.has(alias) ? targets.byAlias.get(alias) : targets.last.get(alias.source);
}
