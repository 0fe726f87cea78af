// Reads the Prometheus text exposition format as app nodes serve it on /metrics: sample lines
// (`name{label="value",…} number [timestamp]`); comments and malformed lines are skipped.

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): PromSample[] {
  const out: PromSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) continue;
    const value = Number(match[3] === '+Inf' ? Number.POSITIVE_INFINITY : match[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const l of (match[2] ?? '').matchAll(LABEL))
      labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    out.push({ name: match[1]!, labels, value });
  }
  return out;
}

/** Sum of every sample of `name` whose labels pass `filter`. */
export function sumOf(
  samples: readonly PromSample[],
  name: string,
  filter: (labels: Record<string, string>) => boolean = () => true,
): number | null {
  let found = false;
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name || !filter(s.labels)) continue;
    found = true;
    sum += s.value;
  }
  return found ? sum : null;
}
