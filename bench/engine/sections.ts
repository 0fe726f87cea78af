// What every bench:engine section gets and gives: sections run alone or together
// (`--only wrk-ratio,arrival-accuracy`), each printing its own lines.

export interface SectionOptions {
  /** A scratch directory for the section's files (removed afterwards). */
  dir: string;
  /** Seconds to measure for; undefined: the section's default. */
  durationS: number | undefined;
  say(line: string): void;
}

export interface Section {
  name: string;
  /** One line: what is measured and the goal. */
  title: string;
  run(options: SectionOptions): Promise<void>;
}
