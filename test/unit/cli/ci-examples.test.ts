import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registerCapacityCommand } from '../../../src/cli/commands/capacity.js';
import { registerCompareCommand } from '../../../src/cli/commands/compare.js';
import { registerDoctorCommand } from '../../../src/cli/commands/doctor.js';
import { registerDoubleCommand } from '../../../src/cli/commands/double.js';
import { registerDrillCommand } from '../../../src/cli/commands/drill.js';
import { registerExportCommands } from '../../../src/cli/commands/export.js';
import { registerHistoryCommand } from '../../../src/cli/commands/history.js';
import { registerNotifyCommand } from '../../../src/cli/commands/notify.js';
import { registerReportCommand } from '../../../src/cli/commands/report.js';
import { registerRunCommand } from '../../../src/cli/commands/run.js';
import { registerSeedCommand } from '../../../src/cli/commands/seed.js';
import { registerStackCommands } from '../../../src/cli/commands/stack.js';
import { packageRoot } from '../../../src/common/package-root.js';

// The example nightly pipelines people copy must work: they are valid YAML, and every `mmdrill`
// command line in them is accepted by the CLI's own commander parser (the commands' actions are
// replaced by a recorder, so nothing runs).

const PIPELINES = ['examples/ci/github-actions/nightly-soak.yml', 'examples/ci/gitlab-ci/nightly-soak.yml'];

function cliRecordingCommands(): { program: Command; ran: string[] } {
  const ran: string[] = [];
  const program = new Command('mmdrill')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  for (const register of [
    registerStackCommands,
    registerRunCommand,
    registerCapacityCommand,
    registerDrillCommand,
    registerDoctorCommand,
    registerDoubleCommand,
    registerSeedCommand,
    registerReportCommand,
    registerCompareCommand,
    registerHistoryCommand,
    registerNotifyCommand,
    registerExportCommands,
  ])
    register(program);
  const replace = (command: Command, path: string[]) => {
    for (const sub of command.commands) {
      const name = [...path, sub.name()];
      sub.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
      if (sub.commands.length > 0) replace(sub, name);
      else sub.action(() => void ran.push(name.join(' ')));
    }
  };
  replace(program, []);
  return { program, ran };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every `mmdrill …` command line in a shell text, as argument lists. */
function mmdrillCommands(script: string): string[][] {
  let text = script.replace(/\\\n/g, ' ');
  // Substitutions that are not mmdrill's own ($(date …)) become one plain word.
  for (let before = ''; before !== text; ) {
    before = text;
    text = text.replace(/\$\((?!mmdrill)[^()]*\)/g, 'X');
  }
  const out: string[][] = [];
  for (const match of text.matchAll(/(?:^|[\s$(;])mmdrill\s+([^\n;|&)]*)/g)) {
    const words = [...match[1]!.replace(/\s\d?>\s*\S+/g, ' ').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map(
      (w) => w[1] ?? w[2] ?? w[3]!,
    );
    out.push(words);
  }
  return out;
}

describe('example nightly pipelines', () => {
  for (const file of PIPELINES) {
    it(`${file}: parses, and every mmdrill command line is accepted by the CLI`, async () => {
      const document: unknown = parse(await readFile(join(packageRoot(), file), 'utf8'));
      const commands = strings(document).flatMap(mmdrillCommands);
      expect(commands.map((c) => c[0])).toEqual(
        expect.arrayContaining(['run', 'history', 'compare', 'notify']),
      );
      for (const args of commands) {
        const { program, ran } = cliRecordingCommands();
        await expect(program.parseAsync(args, { from: 'user' }), args.join(' ')).resolves.toBeDefined();
        expect(ran, args.join(' ')).toHaveLength(1);
      }
    });
  }

  it('the check can fail: an unknown option or command is refused', async () => {
    for (const args of [
      ['run', 'scenarios/soak.yaml', '--envv', 'x'],
      ['histroy', 'reports'],
      ['compare', 'one-run-only'],
    ]) {
      const { program } = cliRecordingCommands();
      await expect(program.parseAsync(args, { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
    }
    expect(
      mmdrillCommands(
        'x=$(mmdrill history r --baseline 2>/dev/null) && mmdrill compare "$x" "t/$(date -u +%F)"',
      ),
    ).toEqual([
      ['history', 'r', '--baseline'],
      ['compare', '$x', 't/X'],
    ]);
  });
});
