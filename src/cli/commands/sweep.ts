import type { SweepOptions } from '../args';
import type { CliIO } from '../io';

/** `parascope sweep`: its engine arrives with issue #7; until then it says so plainly. */
export async function sweepCommand(_options: SweepOptions, io: CliIO): Promise<number> {
  io.err('parascope sweep: not available in this build yet (it arrives with issue #7).\n');
  return 2;
}
