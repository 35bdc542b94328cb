/** What a step did: the objects it created or changed (empty = everything was already as asked). */
export interface StepResult {
  readonly changed: readonly string[];
}

/** Input the page should have caught: answered 422 with every problem. */
export class InputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join(' '));
    this.name = 'InputError';
  }
}
