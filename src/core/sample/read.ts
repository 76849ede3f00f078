/**
 * Cheap synchronous reads of small procfs files: open + one read into a reused buffer + close
 * (no fstat, no allocation per call). procfs generates each of these files whole on the first
 * read, so a read shorter than the buffer is the end of the file. A file that vanished (the
 * process or thread exited) or is unreadable yields null — never an exception.
 */
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

let buffer = Buffer.allocUnsafe(16 * 1024);

/** The buffer `FdCache.readBytes` fills (it may be replaced by a bigger one: ask each time). */
export function sharedBuffer(): Buffer {
  return buffer;
}

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

/**
 * Open procfs files kept for re-reading: `pread` at offset 0 regenerates a procfs file's
 * content, so a thread's `stat`/`schedstat` is read without a path lookup, open and close each
 * sample (about 3× cheaper). A file whose task is gone fails with ESRCH: it is closed and null
 * returned. Bounded: past `max` open files, paths are read the plain way.
 */
export class FdCache {
  private readonly fds = new Map<string, number>();

  constructor(private readonly max = 768) {}

  get size(): number {
    return this.fds.size;
  }

  read(path: string): string | null {
    const n = this.readBytes(path);
    return n < 0 ? null : sharedBuffer().toString('utf8', 0, n);
  }

  /** Reads into the shared buffer (`sharedBuffer()`); returns the length, or -1 when gone. */
  readBytes(path: string): number {
    let fd = this.fds.get(path);
    if (fd === undefined) {
      if (this.fds.size >= this.max) {
        const text = readSmall(path);
        if (text === null) return -1;
        return Buffer.byteLength(text) <= buffer.length ? buffer.write(text, 0, 'utf8') : -1;
      }
      try {
        fd = openSync(path, 'r');
      } catch {
        return -1;
      }
      this.fds.set(path, fd);
    }
    readCounter.reads += 1;
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, 0);
        if (n < buffer.length) return n;
        buffer = Buffer.allocUnsafe(buffer.length * 2);
      }
    } catch {
      this.close(path);
      return -1;
    }
  }

  /** Closes every cached file under `prefix` (a process or thread that is gone). */
  forget(prefix: string): void {
    for (const path of [...this.fds.keys()]) if (path.startsWith(prefix)) this.close(path);
  }

  closeAll(): void {
    for (const path of [...this.fds.keys()]) this.close(path);
  }

  private close(path: string): void {
    const fd = this.fds.get(path);
    this.fds.delete(path);
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }
}
