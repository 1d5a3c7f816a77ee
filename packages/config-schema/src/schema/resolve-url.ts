/** `ref` resolved against `base` (a `$id` or `$ref`), or undefined when it is not a valid URL. */
export function resolveUrl(ref: string, base: string): string | undefined {
  try {
    return new URL(ref, base).href;
  } catch {
    return undefined;
  }
}
