import type { Static, TSchema } from '@sinclair/typebox';
import { type LoadOptions, loadConfigFile, parseConfigTextChecked } from '../config/load.js';

// Fault plans and DDIL profiles are read in two passes over the same text (the kind of each
// entry first, then each entry against its own kind's schema, so messages speak of that kind
// only). A reader is the file or the text those passes go over.

export interface ConfigReader {
  /** The file as named in messages (relative paths resolve against its directory). */
  readonly file: string;
  read<S extends TSchema>(schema: S, options: LoadOptions<Static<S>>): Promise<Static<S>>;
}

export function fileReader(path: string): ConfigReader {
  return { file: path, read: (schema, options) => loadConfigFile(path, schema, options) };
}

export function textReader(text: string, file: string): ConfigReader {
  return { file, read: (schema, options) => parseConfigTextChecked(text, file, schema, options) };
}
