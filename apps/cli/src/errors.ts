/**
 * A mistake in how the command was called (a bad flag or value, an unknown recipe or backend, `--resume` on a
 * folder with nothing to resume). The CLI prints its message on one line and exits with code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
