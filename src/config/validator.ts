import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * Keywords that editors understand and ajv does not: registered as annotations so strict mode
 * accepts them; the loader reads them to word its messages.
 */
export const EDITOR_KEYWORDS = ['errorMessage', 'patternErrorMessage', 'doNotSuggest'] as const;

// allErrors: report every mistake in one go. verbose: errors carry the failing data and schema,
// which the messages need. useDefaults: the loaded value has every default filled in.
const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, verbose: true });
for (const keyword of EDITOR_KEYWORDS) ajv.addKeyword(keyword);

const compiled = new WeakMap<TSchema, ValidateFunction>();

/** The compiled validator for a schema (compiled once; schemas are module-level constants). */
export function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}
