import type { CheckOptions } from '../args';
import type { CliIO } from '../io';

/** `parascope check`: its engine arrives with issue #6; until then it says so plainly. */
export async function checkCommand(_options: CheckOptions, io: CliIO): Promise<number> {
  io.err('parascope check: not available in this build yet (it arrives with issue #6).\n');
  return 2;
}
