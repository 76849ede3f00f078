/** Helpers for the suites that run inside the real extension host. */
export const EXTENSION_ID = 'parascope.parascope';

/** Polls `condition` until it holds or `timeoutMs` passes. */
export async function waitFor(condition: () => boolean | Promise<boolean>, message: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
}
