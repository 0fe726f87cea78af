// Output that reads well both in a terminal and in a CI log: plain lines, aligned columns, colour
// only on a TTY (and never when NO_COLOR is set).

const useColour = process.stdout.isTTY === true && !process.env.NO_COLOR;

function paint(code: number, text: string): string {
  return useColour ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const colour = {
  ok: (t: string) => paint(32, t),
  bad: (t: string) => paint(31, t),
  dim: (t: string) => paint(2, t),
  bold: (t: string) => paint(1, t),
};

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => stripAnsi(r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? cell : cell + ' '.repeat(widths[i]! - stripAnsi(cell).length),
      )
      .join('  ')
      .trimEnd();
  return [line(header.map((h) => colour.bold(h))), ...rows.map(line)].join('\n');
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Progress goes to stderr so that `--json` keeps stdout machine-readable. */
export function progressLine(text: string): void {
  process.stderr.write(`${text}\n`);
}
