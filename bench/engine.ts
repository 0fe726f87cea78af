// npm run bench:engine — the load engine's own performance, in named sections:
//   node --expose-gc dist/bench/engine.js [--only wrk-ratio,arrival-accuracy,users-per-core,ws-memory] [--duration SECONDS]
// Each section runs alone with --only; --duration overrides every chosen section's default.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { arrivalAccuracy } from './engine/arrival-accuracy.js';
import type { Section } from './engine/sections.js';
import { usersPerCore } from './engine/users-per-core.js';
import { wrkRatio } from './engine/wrk-ratio.js';
import { wsMemory } from './engine/ws-memory.js';

const SECTIONS: readonly Section[] = [wrkRatio, arrivalAccuracy, usersPerCore, wsMemory];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string' },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const names = values.only?.split(',').map((name) => name.trim()) ?? SECTIONS.map((s) => s.name);
  const unknown = names.filter((name) => !SECTIONS.some((s) => s.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}\n`,
    );
    process.exit(2);
  }
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  say(`bench:engine — ${new Date().toISOString().slice(0, 10)}, Node.js ${process.versions.node}`);
  for (const section of SECTIONS.filter((s) => names.includes(s.name))) {
    say(`\n[${section.name}] ${section.title}`);
    const dir = await mkdtemp(join(tmpdir(), `mmdrill-bench-${section.name}-`));
    try {
      await section.run({ dir, durationS, say });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
