import { isSecretName, redactString } from '@ops/core';
import type { ErrorObject } from 'ajv';
import { pathOf, pointerSegments, toPointer } from '../problem.js';
import { describeKind, describeValue, oneOfWords, quote, typeWords } from './describe-value.js';

/** One schema failure in plain words, with where it points. */
export interface DescribedError {
  /** Path segments of the node to point at. */
  readonly segments: string[];
  /** Point at the key of the last segment rather than its value (unknown property names). */
  readonly atKey: boolean;
  readonly keyword: string;
  readonly message: string;
}

/**
 * Turns ajv's errors into plain sentences (`replicas: must be an integer, got the string "three"`).
 * Failures inside an `anyOf`/`oneOf` branch are folded into that keyword's one message, and the
 * `if` keyword's echo of its `then`/`else` is dropped.
 */
export function describeErrors(errors: readonly ErrorObject[], root: unknown, secrets: ReadonlySet<unknown> = NO_SECRETS): DescribedError[] {
  const branchPaths = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  const out: DescribedError[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (branchPaths.some((p) => error.schemaPath.startsWith(p))) continue;
    let described = describeOne(error, root, secrets);
    if ((error.keyword === 'anyOf' || error.keyword === 'oneOf') && !hasPassing(error)) {
      const why = closestBranch(error, errors, root, secrets);
      if (why) described = { ...described, message: `${described.message}; ${why}` };
    }
    const key = `${toPointer(described.segments)}|${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(described);
  }
  return out;
}

const NO_SECRETS: ReadonlySet<unknown> = new Set();

function hasPassing(error: ErrorObject): boolean {
  return typeof (error.params as { passingSchemas?: unknown }).passingSchemas === 'object' && (error.params as { passingSchemas?: unknown }).passingSchemas !== null;
}

/**
 * Why the branch of an `anyOf`/`oneOf` that came closest failed: the branch without a type,
 * const or enum mismatch at the value itself, then the one with the fewest errors.
 */
function closestBranch(error: ErrorObject, errors: readonly ErrorObject[], root: unknown, secrets: ReadonlySet<unknown>): string | undefined {
  const prefix = `${error.schemaPath}/`;
  const branches = new Map<number, ErrorObject[]>();
  for (const e of errors) {
    if (!e.schemaPath.startsWith(prefix)) continue;
    const index = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
    if (!branches.has(index)) branches.set(index, []);
    branches.get(index)!.push(e);
  }
  const total = Array.isArray(error.schema) ? error.schema.length : branches.size;
  const score = (list: readonly ErrorObject[]): number =>
    (list.some((e) => e.instancePath === error.instancePath && ['type', 'const', 'enum', 'false schema'].includes(e.keyword)) ? 1000 : 0) + list.length;
  let best: [number, ErrorObject[]] | undefined;
  for (const entry of branches) if (!best || score(entry[1]) < score(best[1])) best = entry;
  if (!best || total < 2) return undefined;
  if (score(best[1]) >= 1000) {
    // No form takes a value of this kind: say which kinds they take.
    const types = [...new Set(errors.filter((e) => e.schemaPath.startsWith(prefix) && e.instancePath === error.instancePath && e.keyword === 'type').flatMap((e) => String((e.params as { type: unknown }).type).split(',')))];
    return types.length ? `the forms take ${typeWords(types)}` : undefined;
  }
  const here = pathOf(pointerSegments(error.instancePath));
  const reasons = describeErrors(best[1], root, secrets).map((d) => (d.message.startsWith(`${here}: `) ? d.message.slice(here.length + 2) : d.message));
  return `closest form (${best[0] + 1} of ${total}): ${reasons.join('; ')}`;
}

function describeOne(error: ErrorObject, root: unknown, secrets: ReadonlySet<unknown>): DescribedError {
  const segments = pointerSegments(error.instancePath);
  const value = valueAt(root, segments);
  const params = error.params as Record<string, unknown>;
  const at = (extra: string[], message: string, atKey = false): DescribedError => ({ segments: [...segments, ...extra], atKey, keyword: error.keyword, message });
  const here = pathOf(segments);
  // Values under secret-looking names or filled from secret variables are described by kind
  // only; registered secrets are masked.
  const last = segments.at(-1);
  const got = (last !== undefined && isSecretName(last)) || (value !== null && secrets.has(value)) ? describeKind(value) : redactString(describeValue(value));
  switch (error.keyword) {
    case 'type':
      return at([], `${here}: must be ${typeWords(params.type as string)}, got ${got}`);
    case 'required': {
      const name = String(params.missingProperty);
      return { segments, atKey: false, keyword: 'required', message: `${pathOf([...segments, name])}: is required but missing${segments.length ? ` from ${here}` : ''}` };
    }
    case 'dependentRequired':
    case 'dependencies':
      return at([], `${pathOf([...segments, String(params.missingProperty)])}: is required when ${String(params.property)} is set`);
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return at([name], `${pathOf([...segments, name])}: is not an allowed property${allowedHint(error)}`, true);
    }
    case 'unevaluatedProperties': {
      const name = String(params.unevaluatedProperty);
      return at([name], `${pathOf([...segments, name])}: is not an allowed property`, true);
    }
    case 'propertyNames':
      return at([String(params.propertyName)], `${pathOf([...segments, String(params.propertyName)])}: is not an allowed property name`, true);
    case 'enum':
      return at([], `${here}: must be one of ${oneOfWords(params.allowedValues as unknown[])}, got ${got}`);
    case 'const':
      return at([], `${here}: must be ${quote(params.allowedValue)}, got ${got}`);
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return at([], `${here}: must be ${params.comparison} ${String(params.limit)}, got ${got}`);
    case 'multipleOf':
      return at([], `${here}: must be a multiple of ${String(params.multipleOf)}, got ${got}`);
    case 'minLength': case 'maxLength':
      return at([], `${here}: must be at ${error.keyword === 'minLength' ? 'least' : 'most'} ${plural(params.limit as number, 'character')} long, got ${got}`);
    case 'pattern':
      return at([], `${here}: must match the pattern ${String(params.pattern)}, got ${got}`);
    case 'format':
      return at([], `${here}: must be a valid ${String(params.format)}, got ${got}`);
    case 'minItems': case 'maxItems':
      return at([], `${here}: must have at ${error.keyword === 'minItems' ? 'least' : 'most'} ${plural(params.limit as number, 'item')}, got ${got}`);
    case 'uniqueItems':
      return at([String(params.j)], `${here}: items ${String(params.j)} and ${String(params.i)} are the same; items must be unique`);
    case 'minProperties': case 'maxProperties':
      return at([], `${here}: must have at ${error.keyword === 'minProperties' ? 'least' : 'most'} ${plural(params.limit as number, 'property', 'properties')}`);
    case 'anyOf': case 'oneOf':
      return at([], `${here}: must match ${error.keyword === 'oneOf' && typeof params.passingSchemas === 'object' && params.passingSchemas ? 'exactly one' : 'one'} of the allowed forms, got ${got}`);
    case 'not':
      return at([], `${here}: must not match the excluded form, got ${got}`);
    case 'contains':
      return at([], `${here}: must contain at least ${plural((params.minContains as number | undefined) ?? 1, 'matching item')}`);
    case 'false schema':
      return at([], `${here}: is not allowed here`);
    default:
      return at([], `${here}: ${error.message ?? `fails ${error.keyword}`}`);
  }
}

function allowedHint(error: ErrorObject): string {
  const props = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const names = props ? Object.keys(props) : [];
  return names.length && names.length <= 12 ? ` (allowed: ${names.join(', ')})` : '';
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Object.hasOwn(value, segment) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value;
}
