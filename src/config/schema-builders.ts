import {
  type ObjectOptions,
  type SchemaOptions,
  type TNever,
  type TObject,
  type TOptional,
  type TProperties,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';

/**
 * A mapping with a fixed set of keys: anything else is an unknown key (usually a typo, which the
 * loader names with a suggestion). A property that has a `default` is optional in the file but
 * always present in the loaded value (ajv fills it in), so the static type, which is the type of
 * what the loader returns, lists it as required while the published schema does not.
 */
export function ClosedObject<P extends TProperties>(properties: P, options: ObjectOptions = {}): TObject<P> {
  const schema = Type.Object(properties, { additionalProperties: false, ...options });
  const editable = schema as { required?: string[] };
  const required = (editable.required ?? []).filter((key) => properties[key]?.default === undefined);
  if (required.length > 0) editable.required = required;
  else delete editable.required;
  return schema;
}

/**
 * A key that must never appear, with the reason shown both by the loader and by editors
 * (`errorMessage` is the VS Code / yaml-language-server extension; `doNotSuggest` keeps it out of
 * completions). The value is never echoed: a forbidden key may hold a secret.
 */
export function ForbiddenKey(reason: string): TOptional<TNever> {
  return Type.Optional(Type.Never({ description: reason, errorMessage: reason, doNotSuggest: true }));
}

/** A string from a fixed list, as a JSON Schema `enum` (editors offer the values as completions). */
export function StringEnum<const V extends readonly string[]>(
  values: V,
  options: SchemaOptions = {},
): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ ...options, type: 'string', enum: [...values] });
}

/**
 * A string that must match `pattern`, with the sentence to say when it does not
 * (`patternErrorMessage`, understood by editors and by the loader).
 */
export function PatternString(pattern: string, expectation: string, options: SchemaOptions = {}) {
  return Type.String({ ...options, pattern, patternErrorMessage: expectation });
}
