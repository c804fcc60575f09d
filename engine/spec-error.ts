/** An invalid campaign spec: every problem with its path in the spec and how to fix it. */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'SpecError';
  }
}
