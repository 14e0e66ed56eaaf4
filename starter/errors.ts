/**
 * An error the user can fix. Its message is shown as one line on stderr,
 * without a stack trace: what went wrong, where, and how to fix it.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
