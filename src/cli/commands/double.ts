import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { doubleEntryPoint } from '../../stack/native/double-node.js';
import { rtcdEntryPoint } from '../../stack/native/rtcd.js';

/**
 * `mmdrill double …`: runs one node of the Mattermost test double in the foreground. The double
 * is a separate program (testbed/main.ts); this only starts it, so the harness never loads its code.
 */
export function registerDoubleCommand(program: Command): void {
  program
    .command('double')
    .summary('run one node of the Mattermost test double (the app tier CI drills run against)')
    .description(
      'Runs one app node of the Mattermost test double in the foreground. Every option is passed to it;\n' +
        'see `mmdrill double --help` for them. Example:\n\n' +
        '  mmdrill double --listen 127.0.0.1:8065 --database-url postgres://postgres@127.0.0.1:5432/mattermost \\\n' +
        '    --s3-endpoint http://127.0.0.1:7070 --s3-bucket mattermost --metrics-listen 127.0.0.1:8067 --node-id n1\n\n' +
        'With --rtcd first, runs the rtcd double instead (the Calls SFU app nodes link to with --rtcd-url):\n\n' +
        '  mmdrill double --rtcd --listen 127.0.0.1:8045',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]', 'options of the double')
    .action(async (args: string[]) => {
      const rtcd = args[0] === '--rtcd';
      const entry = rtcd ? rtcdEntryPoint() : doubleEntryPoint();
      const child = spawn(process.execPath, [entry, ...(rtcd ? args.slice(1) : args)], { stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      const code = await new Promise<number>((resolve) => {
        child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + 15 : 1)));
      });
      process.exitCode = code;
    });
}
