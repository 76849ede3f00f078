/**
 * Errors the user is meant to read: a clear sentence, no stack trace. Anything else that
 * escapes is a bug and is described with its message only (the stack goes to the log).
 */
export class UserFacingError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export function describeError(error: unknown): string {
  if (error instanceof UserFacingError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
