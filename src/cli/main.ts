/**
 * The `parascope` command: `run`, `sweep`, `check` and `demo` over the vscode-free core.
 * Exit codes: `run` → the script's own; `check` → 1 on a warning or error, else 0; bad usage → 2.
 */
import { HELP, USAGE } from './usage';
import { parseCheck, parseDemo, parseRun, parseSweep, UsageError, type CommandName } from './args';
import { processIO, type CliIO } from './io';
import { runCommand } from './commands/run';
import { sweepCommand } from './commands/sweep';
import { checkCommand } from './commands/check';
import { demoCommand } from './commands/demo';
import { describeError } from '../core/errors';

/** Runs one CLI invocation and returns its exit code. Never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (command !== undefined && command in USAGE && (own.includes('--help') || own.includes('-h'))) {
    io.out(`${USAGE[command as CommandName]}\n`); // `parascope run --help`: that command's usage, exit 0
    return 0;
  }
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(HELP);
        return command === undefined ? 2 : 0;
      case '-V':
      case '--version':
        io.out(`${VERSION}\n`);
        return 0;
      case 'run':
        return await runCommand(parseRun(rest), io);
      case 'sweep':
        return await sweepCommand(parseSweep(rest), io);
      case 'check':
        return await checkCommand(parseCheck(rest), io);
      case 'demo':
        return await demoCommand(parseDemo(rest), io);
      default:
        throw new UsageError(undefined, `unknown command '${command}' (expected run, sweep or check).`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      const name: CommandName | undefined = error.command;
      io.err(`parascope${name ? ` ${name}` : ''}: ${error.message}\n`);
      io.err(`${name ? USAGE[name] : 'usage: parascope run|sweep|check|demo … (parascope --help)'}\n`);
      return 2;
    }
    io.err(`parascope: ${describeError(error)}\n`);
    return 1;
  }
}

declare const PARASCOPE_VERSION: string | undefined;
const VERSION = typeof PARASCOPE_VERSION === 'string' ? PARASCOPE_VERSION : 'dev';

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  });
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGHUP', () => controller.abort()); // the terminal closed: cancel, as for SIGTERM
  void main(process.argv.slice(2), processIO(controller.signal)).then((code) => {
    process.exitCode = code;
  });
}
