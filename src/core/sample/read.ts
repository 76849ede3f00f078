/**
 * Cheap synchronous reads of small procfs files: open + one read into a reused buffer + close
 * (no fstat, no allocation per call). procfs generates each of these files whole on the first
 * read, so a read shorter than the buffer is the end of the file. A file that vanished (the
 * process or thread exited) or is unreadable yields null — never an exception.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

let buffer = Buffer.allocUnsafe(16 * 1024);

/** Reads counter: the benchmark and the report's health line show it. */
export const readCounter = { reads: 0 };

export function readSmall(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  readCounter.reads += 1;
  try {
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      total += n;
      if (n === 0 || total < buffer.length) break;
      const bigger = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(bigger, 0, 0, total);
      buffer = bigger;
    }
    return buffer.toString('utf8', 0, total);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export function listNumeric(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    const code = name.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      const value = Number(name);
      if (Number.isInteger(value)) out.push(value);
    }
  }
  return out;
}
