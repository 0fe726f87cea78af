// The field access of import-line validation (line-validation.ts): each failure is an
// ImportLineError naming the line, the field's path (e.g. `post.reactions[0].emoji_name`) and
// Mattermost's error id, which the job hands back as `data.error` and `data.line_number`.

export class ImportLineError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly detail: string,
    readonly errorId: string,
  ) {
    super(`${field} ${detail} (${errorId})`);
  }
}

export const runes = (s: string) => [...s].length;

/** Field access that fails with the line, the field's path and Mattermost's error id. */
export class Fields {
  constructor(
    private readonly line: number,
    private readonly obj: Record<string, unknown>,
    private readonly path: string,
    private readonly idPrefix: string,
  ) {}

  fail(field: string, detail: string, id: string): never {
    throw new ImportLineError(this.line, `${this.path}.${field}`, detail, `${this.idPrefix}.${id}.error`);
  }

  required(field: string): string {
    const v = this.obj[field];
    if (v === undefined || v === null) this.fail(field, 'is missing', `${field}_missing`);
    if (typeof v !== 'string') this.fail(field, 'must be a string', `${field}_invalid`);
    return v;
  }

  optional(field: string, maxRunes: number): string {
    const v = this.obj[field];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') this.fail(field, 'must be a string', `${field}_invalid`);
    if (runes(v) > maxRunes) this.fail(field, `is longer than ${maxRunes} characters`, `${field}_length`);
    return v;
  }

  millis(field: string): number {
    const v = this.obj[field];
    if (v === undefined || v === null) this.fail(field, 'is missing', `${field}_missing`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
      this.fail(field, 'must be a positive time in milliseconds', `${field}_zero`);
    return v;
  }

  list(field: string): Record<string, unknown>[] {
    const v = this.obj[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object' || Array.isArray(x)))
      this.fail(field, 'must be an array of objects', `${field}_invalid`);
    return v as Record<string, unknown>[];
  }

  nested(field: string, value: Record<string, unknown>, idPrefix = this.idPrefix): Fields {
    return new Fields(this.line, value, `${this.path}.${field}`, idPrefix);
  }
}

export function objectAt(line: number, value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ImportLineError(
      line,
      field,
      'is missing or not an object',
      `app.import.import_line.null_${field}.error`,
    );
  return value as Record<string, unknown>;
}
