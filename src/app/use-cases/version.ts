import type { EngineVersion } from '../../engine/index.ts';
import { VERSION } from '../../shared/product.ts';
import type { Session } from '../session/index.ts';

/** The plugin's own version facts. */
export interface PluginVersion {
  readonly version: string;
  readonly node: string;
  readonly os: string;
  readonly arch: string;
  readonly packaged: boolean;
}

/** The engine half of `version`: where we connected and what answered. */
export interface EngineReport extends EngineVersion {
  readonly context: string;
  readonly host: string;
}

/** The plugin's version; needs nothing but the process. */
export function pluginVersion(session: Session): PluginVersion {
  return { version: VERSION, node: process.version, os: process.platform, arch: process.arch, packaged: session.environment.packaged };
}

/** Asks the engine of the session's endpoint for its version (GET /version). */
export async function engineVersion(session: Session, signal?: AbortSignal): Promise<EngineReport> {
  const engine = await session.engine();
  const v = await engine.version(signal ? { signal } : {});
  return { ...v, context: engine.endpoint.contextName, host: engine.endpoint.host };
}
