const MAX_SHOWN = 60;

function quoteString(text: string): string {
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return JSON.stringify(shown);
}

/** A value as a message shows it after "got": `"nativ"`, `0`, `true`, `a mapping`, `nothing`. */
export function quoteValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return quoteString(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** A value with its YAML type, for type errors: `string "two"`, `number 2.5`, `a list`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return `${typeof value} ${quoteValue(value)}`;
  }
  return quoteValue(value);
}

/** JSON Schema type names in the words of a YAML file. */
export function typeName(type: string): string {
  if (type === 'object') return 'mapping';
  if (type === 'array') return 'list';
  return type;
}
