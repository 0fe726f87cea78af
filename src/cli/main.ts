import { Command, CommanderError } from 'commander';
import { ExitCode, PreparationFailure, UsageError } from '../common/exit-codes.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerCapacityCommand } from './commands/capacity.js';
import { registerCompareCommand } from './commands/compare.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerDoubleCommand } from './commands/double.js';
import { registerDrillCommand } from './commands/drill.js';
import { registerExportCommands } from './commands/export.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerNotifyCommand } from './commands/notify.js';
import { registerReportCommand } from './commands/report.js';
import { registerRunCommand } from './commands/run.js';
import { registerSeedCommand } from './commands/seed.js';
import { registerStackCommands } from './commands/stack.js';
import { disarmEarlyInterrupt } from './early-interrupt.js';

const program = new Command('mmdrill')
  .description('Load and resilience drills for self-hosted Mattermost')
  .version('0.1.0')
  .showHelpAfterError('(run mmdrill --help for usage)')
  // The long descriptions are laid out by hand, lines under 110 characters; commander's own
  // wrapping at 80 columns (its width without a terminal) would break them up raggedly.
  .configureHelp({ helpWidth: 120 })
  .exitOverride()
  // Each command decides what an interrupt means from here on (the long ones: runInFrame).
  .hook('preAction', () => disarmEarlyInterrupt());

registerStackCommands(program);
registerRunCommand(program);
registerCapacityCommand(program);
registerDrillCommand(program);
registerDoctorCommand(program);
registerDoubleCommand(program);
registerSeedCommand(program);
registerReportCommand(program);
registerCompareCommand(program);
registerHistoryCommand(program);
registerNotifyCommand(program);
registerExportCommands(program);
registerAuditCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else if (err instanceof PreparationFailure) {
    process.stderr.write(
      `mmdrill: ${err.message}\nverdict: PREPARATION FAILED (exit ${err.exitCode}): the server refused what the run needs before its load\n`,
    );
    process.exitCode = err.exitCode;
  } else if (err instanceof UsageError) {
    process.stderr.write(`mmdrill: ${err.message}\n`);
    process.exitCode = ExitCode.usage;
  } else {
    process.stderr.write(`mmdrill: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = ExitCode.internalError;
  }
}
// An interrupted command has wound down (what it started is stopped) and said so: what is still
// pending then is abandoned work — e.g. Testcontainers polling, for minutes, a container the
// interrupt removed — which must not keep the process from exiting.
if (process.exitCode === ExitCode.interrupted) process.exit(ExitCode.interrupted);
