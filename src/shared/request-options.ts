/** Options every adapter call takes: the call can be aborted, and then rejects with the signal's reason. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
}
