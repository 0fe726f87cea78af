import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { UsageError } from '../../common/exit-codes.js';
import {
  type K6SummaryDocument,
  K6SummaryDocumentSchema,
  SUMMARY_BEGIN_MARK,
  SUMMARY_END_MARK,
  SUMMARY_FORMAT,
} from './summary-document.js';

// Reads what the generated script's handleSummary wrote: the JSON file itself, or a log (e.g.
// `kubectl logs` of k6-operator runners) holding one or more documents between the marker lines.

const validate = new Ajv({ allErrors: true, strict: false }).compile(K6SummaryDocumentSchema);

function checked(value: unknown, where: string): K6SummaryDocument {
  if (validate(value)) return value;
  const first = validate.errors?.[0];
  const field =
    first?.instancePath === '' || first === undefined
      ? '(document)'
      : first.instancePath.slice(1).replaceAll('/', '.');
  throw new UsageError(
    `${where}: not a summary written by an mmdrill k6 script (format ${SUMMARY_FORMAT} version 1): ${field} ${first?.message ?? 'is invalid'}`,
  );
}

/** Every summary document in `path` (one JSON file, or a log with marked documents). */
export async function readK6Summaries(path: string): Promise<K6SummaryDocument[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--from-k6 ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`}`,
    );
  }
  if (text.includes(SUMMARY_BEGIN_MARK)) {
    const docs: K6SummaryDocument[] = [];
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (!line.includes(SUMMARY_BEGIN_MARK)) return;
      const body = lines[index + 1] ?? '';
      if (!(lines[index + 2] ?? '').includes(SUMMARY_END_MARK))
        throw new UsageError(
          `${path}:${index + 2}: the summary after the begin mark is not followed by the end mark`,
        );
      docs.push(
        checked(parseJson(body.slice(body.indexOf('{')), `${path}:${index + 2}`), `${path}:${index + 2}`),
      );
    });
    return docs;
  }
  return [checked(parseJson(text, path), path)];
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${where}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}
