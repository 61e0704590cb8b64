/** A mistake in how the command was called; reported in one line, exit status 1. */
export class UsageError extends Error {}
