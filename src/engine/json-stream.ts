import type { Readable } from 'node:stream';
import { EngineError } from '../shared/errors.ts';
import type { ProgressListener } from './engine.ts';

/** Longest single JSON message we accept from the engine's progress stream. */
const MAX_LINE_BYTES = 1024 * 1024;

/** A decoded jsonmessage (moby pkg/jsonmessage), with the fields we read. */
export interface JsonMessage {
  readonly id?: string;
  readonly status?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
  readonly aux?: Record<string, unknown>;
}

/**
 * Reads the engine's newline-delimited JSON progress stream, forwards progress to `onProgress`, hands every
 * message to `onMessage`, and rejects with ENGINE_FAILED on an `error` message (as docker's
 * DisplayJSONMessagesStream does), with the message the engine gave.
 */
export async function consumeJsonStream(stream: Readable, onProgress: ProgressListener, onMessage: (msg: JsonMessage) => void = () => {}): Promise<void> {
  let buffered = '';
  const tooLong = (text: string) => text.length > MAX_LINE_BYTES / 4 && Buffer.byteLength(text) > MAX_LINE_BYTES;
  const handle = (line: string) => {
    if (tooLong(line)) throw new EngineError('ENGINE_FAILED', `engine sent a progress message over ${MAX_LINE_BYTES} bytes`);
    if (line.trim() === '') return;
    let msg: JsonMessage;
    try {
      msg = JSON.parse(line) as JsonMessage;
    } catch (err) {
      throw new EngineError('ENGINE_FAILED', `engine sent an unreadable progress message`, { cause: err });
    }
    if (msg.error || msg.errorDetail?.message) {
      throw new EngineError('ENGINE_FAILED', msg.errorDetail?.message || msg.error || 'unknown engine error');
    }
    onMessage(msg);
    if (msg.status !== undefined) {
      onProgress({
        ...(msg.id !== undefined && { id: msg.id }),
        status: msg.status,
        ...(msg.progressDetail?.current !== undefined && { current: msg.progressDetail.current }),
        ...(msg.progressDetail?.total !== undefined && { total: msg.progressDetail.total }),
      });
    }
  };
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      handle(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    if (tooLong(buffered)) {
      throw new EngineError('ENGINE_FAILED', `engine sent a progress message over ${MAX_LINE_BYTES} bytes`);
    }
  }
  handle(buffered);
}
