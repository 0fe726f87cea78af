// Number formatting shared by every report format, so that the HTML report, the Markdown summary,
// JUnit messages and comparisons print one value the same way. `–` stands for "no value".

export const NONE = '–';

/** `1,234,567` (grouping never depends on the machine's locale). */
export function integer(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return Math.round(value).toLocaleString('en-US');
}

/** A decimal number with up to `digits` fraction digits: `12.35`, `1,204.1`. */
export function decimal(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Milliseconds with precision that suits the size: `0.84 ms`, `12.4 ms`, `1,204 ms`. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  const abs = Math.abs(value);
  const digits = abs < 10 ? 2 : abs < 1000 ? 1 : 0;
  return `${decimal(value, digits)} ms`;
}

/** A share (0..1) as a percentage keeping small values readable: `0 %`, `0.025 %`, `12.5 %`. */
export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NONE;
  const value = share * 100;
  if (value === 0) return '0 %';
  const abs = Math.abs(value);
  const digits = abs < 0.01 ? 4 : abs < 1 ? 3 : abs < 10 ? 2 : 1;
  return `${decimal(value, digits)} %`;
}

/** A signed change: `+12.4 ms`, `−3.1 %` (a real minus sign, as people read it). */
export function signed(text: string, value: number): string {
  if (value > 0) return `+${text}`;
  return value < 0 ? `−${text.replace(/^-/, '')}` : text;
}

/** Seconds as people read a run length: `850 ms`, `30.4 s`, `12 min 05 s`, `1 h 02 min`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return NONE;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${decimal(seconds, 1)} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${pad(m)} min` : `${h} h`;
  return s > 0 ? `${m} min ${pad(s)} s` : `${m} min`;
}

/** A point on the run's time axis: `0:42`, `1:02:03` (seconds since the start of the load). */
export function clock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** The command line as one copy-pasteable shell line (arguments quoted where a shell needs it). */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

function shellQuote(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
