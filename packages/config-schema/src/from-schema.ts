/**
 * The TypeScript type of the data a JSON Schema accepts, after defaults are applied: write the
 * schema `as const` (or build it with TypeBox, whose `static` type is used as is).
 * Covers `type` (and lists of types), `properties` + `required` (a property with a `default` is
 * always present), `items`/`prefixItems`, `enum`, `const`, `anyOf`/`oneOf`, `allOf` and local
 * `$ref`s to `#/$defs/...` or `#/definitions/...`. Anything else is `unknown`.
 */
export type FromSchema<S, Root = S> = S extends { readonly static: infer T } ? T : FromJsonSchema<S, Root>;

type FromJsonSchema<S, Root> = S extends true ? unknown
  : S extends false ? never
  : S extends { readonly $ref: `#/${'$defs' | 'definitions'}/${infer Name}` } ? FromRef<Root, Name>
  : S extends { readonly const: infer C } ? Mutable<C>
  : S extends { readonly enum: readonly (infer E)[] } ? E
  : S extends { readonly anyOf: readonly (infer B)[] } ? FromSchemaUnion<B, Root>
  : S extends { readonly oneOf: readonly (infer B)[] } ? FromSchemaUnion<B, Root>
  : S extends { readonly allOf: infer L } ? FromAllOf<L, Root>
  : S extends { readonly type: infer T } ? FromType<T extends readonly (infer U)[] ? U : T, S, Root>
  : S extends { readonly properties: object } ? FromObject<S, Root>
  : unknown;

type FromSchemaUnion<B, Root> = B extends unknown ? FromSchema<B, Root> : never;

type FromRef<Root, Name extends string> = Root extends { readonly $defs: infer D } ? Name extends keyof D ? FromSchema<D[Name], Root> : unknown
  : Root extends { readonly definitions: infer D } ? Name extends keyof D ? FromSchema<D[Name], Root> : unknown
  : unknown;

type FromAllOf<L, Root> = L extends readonly [infer Head, ...infer Tail] ? FromSchema<Head, Root> & FromAllOf<Tail, Root> : unknown;

type FromType<T, S, Root> = T extends 'string' ? string
  : T extends 'number' | 'integer' ? number
  : T extends 'boolean' ? boolean
  : T extends 'null' ? null
  : T extends 'array' ? FromArray<S, Root>
  : T extends 'object' ? FromObject<S, Root>
  : never;

type FromArray<S, Root> = S extends { readonly prefixItems: readonly [...infer P] } ? [...FromTuple<P, Root>, ...(S extends { readonly items: infer I } ? (I extends false ? [] : FromSchema<I, Root>[]) : unknown[])]
  : S extends { readonly items: infer I } ? (I extends readonly unknown[] ? FromTuple<I, Root> : FromSchema<I, Root>[])
  : unknown[];

type FromTuple<P, Root> = P extends readonly [infer Head, ...infer Tail] ? [FromSchema<Head, Root>, ...FromTuple<Tail, Root>] : [];

type FromObject<S, Root> = S extends { readonly properties: infer P }
  ? Simplify<
    { -readonly [K in keyof P as K extends PresentKeys<S, P> ? K : never]: FromSchema<P[K], Root> } &
    { -readonly [K in keyof P as K extends PresentKeys<S, P> ? never : K]?: FromSchema<P[K], Root> }
  >
  : S extends { readonly additionalProperties: infer A extends object } ? Record<string, FromSchema<A, Root>>
  : Record<string, unknown>;

type PresentKeys<S, P> = (S extends { readonly required: readonly (infer R)[] } ? R : never) | { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Mutable<T> = T extends readonly unknown[] ? { -readonly [K in keyof T]: Mutable<T[K]> } : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
