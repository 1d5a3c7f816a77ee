import { isSecretName, registerSecret } from '@ops/core';
import { parseDocument, Scalar, visit, type Document } from 'yaml';

/** Where a variable could not be filled, and why. */
export interface EnvFailure {
  readonly node: Scalar;
  readonly message: string;
}

/** What interpolation did: what failed, and the values that now hold a secret. */
export interface EnvResult {
  readonly failures: EnvFailure[];
  /** Scalars filled (wholly or partly) from variables with secret-looking names. */
  readonly secrets: Scalar[];
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/**
 * Fills `${VAR}`, `${VAR:-default}` (default when unset or empty), `${VAR-default}` (when unset),
 * `${VAR:?message}` and `${VAR?message}` in string values (not keys) from `env`; `$${` writes a
 * literal `${`. A plain (unquoted) YAML scalar that is exactly one reference takes the type of
 * what it is filled with (`replicas: ${REPLICAS:-3}` gives the integer 3). Values of variables
 * with secret-looking names are registered as secrets, in their text and converted forms, and
 * the scalars they fill are returned so no message describes them. Nodes in `skip` (values
 * given by `--set`, which replace what they override) are taken as written.
 */
export function interpolateEnv(doc: Document, env: Readonly<Record<string, string | undefined>>, skip: ReadonlySet<unknown> = new Set()): EnvResult {
  const failures: EnvFailure[] = [];
  const secrets: Scalar[] = [];
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || skip.has(node) || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const source = node.value;
      let failed = false;
      let secret = false;
      const filled = source.replace(REFERENCE, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value !== undefined && value !== '' && isSecretName(name)) {
          secret = true;
          registerSecret(value);
          registerSecret(String(scalarValue(value)));
        }
        const unset = value === undefined || (op?.startsWith(':') === true && value === '');
        if (!unset) return value;
        if (op === ':-' || op === '-') return arg ?? '';
        failed = true;
        const why = op === ':?' || op === '?' ? (arg ? `: ${arg}` : '') : '';
        failures.push({ node, message: `environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}${why}${op ? '' : ` (write \${${name}:-default} to give a default)`}` });
        return match;
      });
      if (failed || filled === source) return;
      const whole = node.type === Scalar.PLAIN && /^\$\{[^}]*\}$/.test(source);
      node.value = whole ? scalarValue(filled) : filled;
      if (secret) secrets.push(node);
    },
  });
  return { failures, secrets };
}

/** A string read as a YAML core-schema scalar: `3` -> 3, `true` -> true, `~` -> null, else the string. */
export function scalarValue(text: string): unknown {
  const doc = parseDocument(text, { schema: 'core', version: '1.2', logLevel: 'silent' });
  const contents = doc.contents;
  if (doc.errors.length || !(contents instanceof Scalar)) return text;
  return contents.value;
}
