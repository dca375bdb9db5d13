/**
 * What `enforce on` leaves for `off` and `status` in the runtime directory (enforce.json, 0600, written
 * atomically): the proxy's pid, socket, log, how it runs, upstream and mode, the docker config directory whose context it
 * switched, and the context that was current before, so `off` can put it back even after a crash.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-file.ts';
import type { EnforcementMode } from './gate.ts';
import type { ServiceKind } from './launch.ts';

/** The docker context `enforce on` creates and makes current. */
export const CONTEXT_NAME = 'trustext';

export interface EnforceState {
  readonly pid: number;
  readonly socket: string;
  /** The log file, or the command that shows the journal of a systemd service. */
  readonly log: string;
  /** How the proxy runs (absent in states written before systemd support: a process). */
  readonly service?: ServiceKind;
  readonly upstream: string;
  /** The docker context the proxy resolves a TLS engine from. */
  readonly upstreamContext?: string;
  readonly mode: EnforcementMode;
  readonly configDir: string;
  /** The context current before (undefined: docker's default). */
  readonly previousContext?: string;
}

const stateFile = (dir: string) => join(dir, 'enforce.json');

/** The state `enforce on` left, or undefined (none, or unreadable: treated as none). */
export async function readEnforceState(dir: string): Promise<EnforceState | undefined> {
  try {
    const s = JSON.parse(await readFile(stateFile(dir), 'utf8')) as Partial<EnforceState>;
    if (typeof s.pid !== 'number' || typeof s.socket !== 'string' || typeof s.configDir !== 'string') return undefined;
    return s as EnforceState;
  } catch {
    return undefined;
  }
}

export async function writeEnforceState(dir: string, state: EnforceState): Promise<void> {
  await writeFileAtomic(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function removeEnforceState(dir: string): Promise<void> {
  await rm(stateFile(dir), { force: true });
}
