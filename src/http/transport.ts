/**
 * The one seam between the registry client and the network: a function that sends one HTTP request and
 * resolves with the response head and a streamed body. The client adds auth, redirects and limits on top;
 * node-transport.ts implements it over node:http/https; tests may inject their own.
 */

/** One HTTP request, exactly as it goes on the wire (no redirects are followed by the transport). */
export interface TransportRequest {
  readonly method: string;
  readonly url: URL;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  readonly signal?: AbortSignal;
  /**
   * When (epoch milliseconds) the whole exchange, response body included, must be over; without it the
   * transport's own timeout counts from now. Retries of one request share it.
   */
  readonly deadline?: number;
}

/** One HTTP response: status, headers and a body read on demand. */
export interface TransportResponse {
  readonly status: number;
  /** Returns a header value (name case-insensitive), repeated headers joined with ", "; undefined if absent. */
  header(name: string): string | undefined;
  /** The body in chunks; iterate at most once. Rejects with the signal's reason when the request is aborted. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection; safe to call at any time, more than once. */
  cancel(): void;
  /** Set when this is the last of several attempts that all got a retryable status: how many there were. */
  readonly attempts?: number;
}

/**
 * Sends one request. Rejects when no response arrives (connection refused, TLS failure, reset) and, when the
 * request's signal aborts, with the signal's reason.
 */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;
