import type { ErrorObject } from 'ajv';
import { type PathSegment, pointerToPath } from './config-path.js';
import { describeValue, quoteValue, typeName } from './describe-value.js';
import { didYouMean } from './did-you-mean.js';
import type { Anchor } from './yaml-source.js';

/** One schema violation in human words, with where it is and which field it concerns. */
export interface SchemaFinding {
  /** The field named in the message. */
  path: PathSegment[];
  /** Where in the file to point (differs from `path` for unknown keys and repeated list items). */
  at: PathSegment[];
  anchor: Anchor;
  message: string;
  expected?: string;
  got?: string;
}

type SchemaObject = Record<string, unknown>;

const isUnion = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const isWithin = (e: ErrorObject, union: ErrorObject): boolean =>
  e.schemaPath.startsWith(`${union.schemaPath}/`);
const isKeyProblem = (e: ErrorObject): boolean =>
  e.keyword === 'required' || e.keyword === 'additionalProperties';

/**
 * Turns ajv's errors into findings a person can act on. An `anyOf`/`oneOf` failure is summarised
 * to the alternative the user was evidently aiming for, instead of every alternative's complaints.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[], root: unknown): SchemaFinding[] {
  const outerUnions = errors.filter(
    (e) => isUnion(e) && !errors.some((other) => other !== e && isUnion(other) && isWithin(e, other)),
  );
  const handled = new Set<ErrorObject>(outerUnions);
  const findings: SchemaFinding[] = [];
  for (const union of outerUnions) {
    const branchErrors = errors.filter((e) => isWithin(e, union));
    for (const e of branchErrors) handled.add(e);
    findings.push(...summariseUnion(union, branchErrors, root));
  }
  for (const e of errors) if (!handled.has(e)) findings.push(describeError(e, root));
  return findings;
}

function summariseUnion(union: ErrorObject, branchErrors: ErrorObject[], root: unknown): SchemaFinding[] {
  const path = pointerToPath(union.instancePath, root);
  const custom = stringKeyword(union.parentSchema, 'errorMessage');
  const data = union.data;
  const prefix = `${union.schemaPath}/`;
  const branches = new Map<string, ErrorObject[]>();
  for (const e of branchErrors) {
    const index = e.schemaPath.slice(prefix.length).split('/')[0]!;
    branches.set(index, [...(branches.get(index) ?? []), e]);
  }
  if (branches.size === 0) {
    // oneOf with more than one alternative matching: a schema design matter more than a user's.
    return [finding(path, custom ?? 'matches more than one of the allowed forms')];
  }

  // Alternatives whose type fits the data are the ones the user was aiming for.
  const fitting = [...branches.values()].filter(
    (errs) => !errs.some((e) => e.keyword === 'type' && e.instancePath === union.instancePath),
  );
  if (fitting.length === 0) {
    const got = describeValue(data);
    if (custom !== undefined) return [finding(path, `${custom} (got ${got})`, { got })];
    const types = [...branches.values()]
      .flat()
      .filter((e) => e.keyword === 'type' && e.instancePath === union.instancePath)
      .flatMap((e) => String(e.params.type).split(',').map(typeName));
    const expected = [...new Set(types)].join(' or ');
    return [finding(path, `expected ${expected}, got ${got}`, { expected, got })];
  }

  // A discriminated union (each alternative fixes a key to a literal, like `executor:`): the
  // alternative whose literal matches is the one meant; if none does, that key is the mistake.
  const isLiteralMiss = (e: ErrorObject): boolean =>
    (e.keyword === 'const' || e.keyword === 'enum') &&
    e.instancePath.startsWith(`${union.instancePath}/`) &&
    !e.instancePath.slice(union.instancePath.length + 1).includes('/');
  const matching = fitting.filter((errs) => !errs.some(isLiteralMiss));
  if (matching.length > 0 && matching.length < fitting.length) {
    const closest = matching.reduce((best, errs) => (errs.length < best.length ? errs : best));
    return describeSchemaErrors(closest, root);
  }
  if (matching.length === 0) {
    const misses = fitting.flatMap((errs) => errs.filter(isLiteralMiss));
    const keys = new Set(misses.map((e) => e.instancePath));
    if (keys.size === 1 && misses[0] !== undefined) {
      return [
        enumFinding(
          pointerToPath(misses[0].instancePath, root),
          misses.flatMap(allowedValues),
          misses[0].data,
        ),
      ];
    }
  }

  const shallow = fitting.every((errs) =>
    errs.every((e) => e.instancePath === union.instancePath && !isKeyProblem(e)),
  );
  if (shallow) {
    const got = quoteValue(data);
    if (custom !== undefined) return [finding(path, `${custom} (got ${got})`, { got })];
    const literals = fitting.flat().every((e) => e.keyword === 'const' || e.keyword === 'enum');
    if (literals) return [enumFinding(path, fitting.flat().flatMap(allowedValues), data)];
  }
  const closest = fitting.reduce((best, errs) => (errs.length < best.length ? errs : best));
  return describeSchemaErrors(closest, root);
}

function describeError(e: ErrorObject, root: unknown): SchemaFinding {
  const path = pointerToPath(e.instancePath, root);
  const params = e.params as Record<string, unknown>;
  const custom = stringKeyword(e.parentSchema, 'errorMessage');
  const data = e.data;

  switch (e.keyword) {
    case 'required':
      return {
        ...finding(path, `missing required key "${String(params.missingProperty)}"`),
        anchor: 'object',
      };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const message = `unknown key "${key}"${didYouMean(key, suggestibleKeys(e.parentSchema))}`;
      return { ...finding(path, message), at: [...path, key], anchor: 'key' };
    }
    case 'not':
    case 'false schema':
      // The value is not echoed: a forbidden key may hold a secret.
      return { ...finding(path, custom ?? 'is not allowed here'), anchor: 'key' };
  }
  if (custom !== undefined)
    return finding(path, `${custom} (got ${quoteValue(data)})`, { got: quoteValue(data) });

  switch (e.keyword) {
    case 'type': {
      const expected = String(params.type).split(',').map(typeName).join(' or ');
      const got = describeValue(data);
      const quoted = expected === 'string' && (typeof data === 'number' || typeof data === 'boolean');
      const hint = quoted ? ` (write it in quotes: "${String(data)}")` : '';
      return finding(path, `expected ${expected}, got ${got}${hint}`, { expected, got });
    }
    case 'enum':
    case 'const':
      return enumFinding(path, allowedValues(e), data);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const expected = `${String(params.comparison)} ${String(params.limit)}`;
      return finding(path, `must be ${expected} (got ${quoteValue(data)})`, {
        expected,
        got: quoteValue(data),
      });
    }
    case 'minLength':
      if (params.limit === 1) return finding(path, 'must not be empty');
      return finding(
        path,
        `must be at least ${String(params.limit)} characters long (got ${lengthOf(data)})`,
      );
    case 'maxLength':
      return finding(path, `must be at most ${String(params.limit)} characters long (got ${lengthOf(data)})`);
    case 'minItems':
      return finding(
        path,
        `must list at least ${count(Number(params.limit), 'item')} (got ${lengthOf(data)})`,
      );
    case 'maxItems':
      return finding(
        path,
        `must list at most ${count(Number(params.limit), 'item')} (got ${lengthOf(data)})`,
      );
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b) as [number, number];
      const repeated = Array.isArray(data) ? quoteValue(data[second]) : 'an item';
      return {
        ...finding(path, `lists ${repeated} twice (items ${first} and ${second})`),
        at: [...path, second],
      };
    }
    case 'pattern': {
      const expectation = stringKeyword(e.parentSchema, 'patternErrorMessage');
      const message = expectation ?? `must match the pattern ${String(params.pattern)}`;
      return finding(path, `${message} (got ${quoteValue(data)})`, { got: quoteValue(data) });
    }
    case 'format':
      return finding(path, `expected a ${String(params.format)} (got ${quoteValue(data)})`);
    default:
      return finding(path, e.message ?? `fails the "${e.keyword}" rule`);
  }
}

function finding(
  path: PathSegment[],
  message: string,
  details: { expected?: string; got?: string } = {},
): SchemaFinding {
  return { path, at: path, anchor: 'value', message, ...details };
}

function enumFinding(path: PathSegment[], allowed: unknown[], data: unknown): SchemaFinding {
  const got = quoteValue(data);
  const names = allowed.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  const expected = names.length === 1 ? JSON.stringify(allowed[0]) : `one of ${names.join(', ')}`;
  const strings = allowed.filter((value): value is string => typeof value === 'string');
  const suggestion = typeof data === 'string' ? didYouMean(data, strings) : '';
  return finding(path, `expected ${expected}, got ${got}${suggestion}`, { expected, got });
}

function allowedValues(e: ErrorObject): unknown[] {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'const') return [params.allowedValue];
  return Array.isArray(params.allowedValues) ? params.allowedValues : [];
}

function suggestibleKeys(schema: unknown): string[] {
  const properties = (schema as SchemaObject | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.entries(properties as Record<string, SchemaObject>)
    .filter(([, property]) => property.doNotSuggest !== true)
    .map(([key]) => key);
}

function stringKeyword(schema: unknown, keyword: string): string | undefined {
  const value = (schema as SchemaObject | undefined)?.[keyword];
  return typeof value === 'string' ? value : undefined;
}

function lengthOf(data: unknown): number {
  return typeof data === 'string' || Array.isArray(data) ? data.length : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
