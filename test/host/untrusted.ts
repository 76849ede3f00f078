/**
 * Entry point for the untrusted-workspace phase: the same mocha setup as `index.ts`, over
 * `untrusted/*.test.js`, in a VS Code whose workspace the user has not trusted.
 */
import { join } from 'node:path';
import { runSuites } from './index';

export function run(): Promise<void> {
  return runSuites(join(__dirname, 'untrusted'));
}
