/**
 * The TypeScript type of the data a JSON Schema accepts, after defaults are applied: write the
 * schema `as const` (or build it with TypeBox, whose `static` type is used as is).
 * Covers `type` (and lists of types), `properties` + `required` (a property with a `default` is
 * always present, except below an `anyOf`/`oneOf` branch, where defaults are not applied), `items`/`prefixItems`, `enum`, `const`, `anyOf`/`oneOf`, `allOf` and local
 * `$ref`s to `#/$defs/...` or `#/definitions/...`. Anything else is `unknown`.
 */
export type FromSchema<S, Root = S, Branch extends boolean = false> = S extends { readonly static: infer T } ? T : FromJsonSchema<S, Root, Branch>;
type FromJsonSchema<S, Root, Br extends boolean> = S extends true ? unknown
  : S extends false ? never
  : S extends { readonly $ref: `#/${'$defs' | 'definitions'}/${infer Name}` } ? FromRef<Root, Name, Br>
  : S extends { readonly const: infer C } ? Mutable<C>
  : S extends { readonly enum: readonly (infer E)[] } ? E
  : S extends { readonly anyOf: readonly (infer B)[] } ? FromSchemaUnion<B, Root>
  : S extends { readonly oneOf: readonly (infer B)[] } ? FromSchemaUnion<B, Root>
  : S extends { readonly allOf: infer L } ? FromAllOf<L, Root, Br>
  : S extends { readonly type: infer T } ? FromType<T extends readonly (infer U)[] ? U : T, S, Root, Br>
  : S extends { readonly properties: object } ? FromObject<S, Root, Br>
  : unknown;
// Defaults below an anyOf/oneOf branch are not applied (which branch holds is known only after
// validation), so there a property with a default is optional unless required.
type FromSchemaUnion<B, Root> = B extends unknown ? FromSchema<B, Root, true> : never;
type FromRef<Root, Name extends string, Br extends boolean> = Root extends { readonly $defs: infer D } ? Name extends keyof D ? FromSchema<D[Name], Root, Br> : unknown
  : Root extends { readonly definitions: infer D } ? Name extends keyof D ? FromSchema<D[Name], Root, Br> : unknown
  : unknown;
type FromAllOf<L, Root, Br extends boolean> = L extends readonly [infer Head, ...infer Tail] ? FromSchema<Head, Root, Br> & FromAllOf<Tail, Root, Br> : unknown;
type FromType<T, S, Root, Br extends boolean> = T extends 'string' ? string
  : T extends 'number' | 'integer' ? number
  : T extends 'boolean' ? boolean
  : T extends 'null' ? null
  : T extends 'array' ? FromArray<S, Root, Br>
  : T extends 'object' ? FromObject<S, Root, Br>
  : never;
type FromArray<S, Root, Br extends boolean> = S extends { readonly prefixItems: readonly [...infer P] } ? [...FromTuple<P, Root, Br>, ...(S extends { readonly items: infer I } ? (I extends false ? [] : FromSchema<I, Root, Br>[]) : unknown[])]
  : S extends { readonly items: infer I } ? (I extends readonly unknown[] ? FromTuple<I, Root, Br> : FromSchema<I, Root, Br>[])
  : unknown[];
type FromTuple<P, Root, Br extends boolean> = P extends readonly [infer Head, ...infer Tail] ? [FromSchema<Head, Root, Br>, ...FromTuple<Tail, Root, Br>] : [];
type FromObject<S, Root, Br extends boolean> = S extends { readonly properties: infer P }
  ? Simplify<
    { -readonly [K in keyof P as K extends PresentKeys<S, P, Br> ? K : never]: FromSchema<P[K], Root, Br> } &
    { -readonly [K in keyof P as K extends PresentKeys<S, P, Br> ? never : K]?: FromSchema<P[K], Root, Br> }
  >
  : S extends { readonly additionalProperties: infer A extends object } ? Record<string, FromSchema<A, Root, Br>>
  : Record<string, unknown>;
type PresentKeys<S, P, Br extends boolean> = (S extends { readonly required: readonly (infer R)[] } ? R : never)
  | (Br extends true ? never : { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P]);
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Mutable<T> = T extends readonly unknown[] ? { -readonly [K in keyof T]: Mutable<T[K]> } : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
