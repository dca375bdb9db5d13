import { EngineError } from '../shared/errors.ts';
import type { PushResult } from './engine.ts';
import type { JsonMessage } from './json-stream.ts';

const FINAL_LINE = /^(\S+): digest: (sha256:[0-9a-f]{64}) size: (\d+)$/;

/**
 * What the engine pushed, from the aux PushResult message (graphdriver store) or, failing that, the final
 * "TAG: digest: sha256:… size: N" status line (containerd store). Neither present is an ENGINE_FAILED error:
 * a push whose digest we cannot name cannot be signed.
 */
export function pushResultOf(tag: string, messages: readonly JsonMessage[]): PushResult {
  for (const m of messages) {
    const aux = m.aux as { Tag?: unknown; Digest?: unknown; Size?: unknown } | undefined;
    if (aux && aux.Tag === tag && typeof aux.Digest === 'string' && typeof aux.Size === 'number') {
      return { tag, digest: aux.Digest, size: aux.Size };
    }
  }
  for (const m of messages) {
    const match = FINAL_LINE.exec(m.status ?? '');
    if (match && match[1] === tag) return { tag, digest: match[2]!, size: Number(match[3]) };
  }
  throw new EngineError('ENGINE_FAILED', `the engine did not report the digest it pushed for tag ${tag}`);
}
