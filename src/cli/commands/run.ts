import type { RunOptions } from '../args';
import type { CliIO } from '../io';

/** `parascope run`: its engine arrives with issue #4; until then it says so plainly. */
export async function runCommand(_options: RunOptions, io: CliIO): Promise<number> {
  io.err('parascope run: not available in this build yet (it arrives with issue #4).\n');
  return 2;
}
