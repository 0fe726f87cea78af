import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The chart library the HTML report inlines: uPlot's browser build, its stylesheet and licence,
// read from node_modules when a report is written, so a report needs no network at view time and
// carries the exact version mmdrill was installed with.

export interface ChartLibrary {
  /** The IIFE build: defines the global `uPlot`. */
  script: string;
  css: string;
  /** Its licence text, which must travel with the copy. */
  licence: string;
  version: string;
}

let cached: ChartLibrary | undefined;

export function chartLibrary(): ChartLibrary {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('uplot/package.json'));
  const read = (path: string) => readFileSync(join(root, path), 'utf8');
  const script = read('dist/uPlot.iife.min.js');
  // Inlined verbatim: a "</script" inside would end the element early.
  if (/<\/script/i.test(script)) throw new Error('uPlot build contains "</script": cannot inline it');
  const pkg = JSON.parse(read('package.json')) as { version?: string };
  cached = {
    script,
    css: read('dist/uPlot.min.css'),
    licence: read('LICENSE'),
    version: pkg.version ?? 'unknown',
  };
  return cached;
}
