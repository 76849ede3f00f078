import type { DemoOptions } from '../args';
import type { CliIO } from '../io';

/** `parascope demo`: its engine arrives with issue #4; until then it says so plainly. */
export async function demoCommand(_options: DemoOptions, io: CliIO): Promise<number> {
  io.err('parascope demo: not available in this build yet (it arrives with issue #4).\n');
  return 2;
}
