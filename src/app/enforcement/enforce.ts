/**
 * `docker trustext enforce on|off|status` (issue #11): the one-command setup. `on` starts the proxy in the
 * background (launch.ts: a systemd user service, or a detached process) in front of the engine docker uses now,
 * records it in the runtime directory, creates the docker context
 * `trustext` at its socket and makes it current, remembering the context that was; `off` puts that context back,
 * removes `trustext` and stops the proxy (SIGTERM: it lets open exchanges finish); `status` asks the proxy.
 */
import { join } from 'node:path';
import { loadConfigFile, loadContextMetadata, removeContext, saveContext, setCurrentContext } from '../../docker-config/index.ts';
import { proxyStatus } from '../../proxy/index.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { Session } from '../session/index.ts';
import { CONTEXT_NAME, readEnforceState, removeEnforceState, writeEnforceState, type EnforceState } from './enforce-state.ts';
import type { EnforcementMode } from './gate.ts';
import { type ServiceKind, startProxyService, stopProxyService } from './launch.ts';
import { runtimeDir, SOCKET_FILE } from './runtime-dir.ts';

/**
 * What the `trustext` context carries in its metadata, so `off` (and `on` after a reboot emptied the runtime
 * directory) still knows the context to restore and the engine behind the proxy.
 */
interface ContextMark {
  readonly upstream: string;
  /** The docker context the proxy resolves its engine from (a TLS engine: its certificates are in the context). */
  readonly upstreamContext?: string;
  readonly previousContext?: string;
  /** The proxy runs as a systemd user service (so `off` after a reboot still stops and removes it). */
  readonly service?: ServiceKind;
}

/** Our mark in the `trustext` context; undefined when there is none; refused when a context of that name is not ours. */
async function contextMark(configDir: string): Promise<ContextMark | undefined> {
  const metadata = await loadContextMetadata(configDir, CONTEXT_NAME);
  if (metadata === undefined) return undefined;
  const mark = metadata.Trustext as Partial<ContextMark> | undefined;
  if (typeof mark !== 'object' || mark === null || typeof mark.upstream !== 'string') {
    throw new ConfigError(
      'CONFIG_INVALID',
      `a docker context named "${CONTEXT_NAME}" exists and is not trustext's: remove or rename it first (docker context rm ${CONTEXT_NAME})`,
    );
  }
  return {
    upstream: mark.upstream,
    ...(typeof mark.upstreamContext === 'string' && { upstreamContext: mark.upstreamContext }),
    ...(typeof mark.previousContext === 'string' && { previousContext: mark.previousContext }),
    ...(mark.service === 'systemd' && { service: 'systemd' as const }),
  };
}

/** How the detached proxy finds the engine: a plain address (--upstream), a context, or the environment. */
interface Upstreaming {
  readonly upstream: string;
  readonly upstreamContext?: string;
  readonly globals: readonly string[];
  readonly args: readonly string[];
  readonly keepEngineEnv: boolean;
}

/**
 * How the proxy will reach `host`: unix and plain tcp by address; a TLS engine through the docker context it came
 * from (certificates and all), or through DOCKER_HOST and DOCKER_TLS_* when the environment named it.
 */
function upstreaming(session: Session, host: string, tls: boolean, context: string | undefined): Upstreaming {
  if (!tls) return { upstream: host, globals: [], args: ['--upstream', host], keepEngineEnv: false };
  if (context !== undefined && context !== 'default')
    return { upstream: host, upstreamContext: context, globals: ['--context', context], args: [], keepEngineEnv: false };
  if (session.environment.settings.docker.host === host) return { upstream: host, globals: [], args: [], keepEngineEnv: true };
  throw new ConfigError('CONFIG_INVALID', `the TLS engine ${host} comes from command-line flags: name it with a docker context, then run enforce on`);
}

/** What `status` reports. */
export interface EnforceReport {
  /** The `trustext` context is the current one in the docker config directory `on` switched. */
  readonly on: boolean;
  readonly state?: EnforceState;
  /** The proxy's own answer (pid, upstream, mode, counters), when it is up. */
  readonly proxy?: Record<string, unknown>;
  /** DOCKER_HOST or DOCKER_CONTEXT is set, so this shell's docker does not use the current context. */
  readonly overridden: boolean;
}

const overridden = (session: Session) => session.environment.settings.docker.host !== undefined || session.environment.settings.docker.context !== undefined;

/** The state `on` left and the socket the proxy answers on (the default one when a reboot took the state). */
async function found(session: Session): Promise<{ dir: string; state?: EnforceState; socket: string }> {
  const dir = await runtimeDir(session.environment.settings);
  const state = await readEnforceState(dir);
  return { dir, ...(state && { state }), socket: state?.socket ?? join(dir, SOCKET_FILE) };
}

/** What `enforce on` is asked. */
export interface EnforceOnRequest {
  readonly mode: EnforcementMode;
  readonly upstream?: string;
  /** systemd user service or detached process (default: systemd where a user manager runs). */
  readonly service?: ServiceKind;
}

/** `enforce on`: the proxy started and the `trustext` context current. */
export async function enforceOn(session: Session, req: EnforceOnRequest): Promise<EnforceReport> {
  const { dir, state: earlier, socket } = await found(session);
  const answering = await proxyStatus(socket);
  if (answering !== undefined) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `enforcement is already on (proxy pid ${String(answering.pid)} on unix://${socket}): run 'docker trustext enforce off' first`,
    );
  }
  const current = session.config.currentContext;
  const mark = await contextMark(session.configDir);
  // Still current from an earlier `on` (the proxy died, or a reboot emptied the runtime directory): what that
  // `on` recorded stands; otherwise the engine docker uses now is the upstream.
  const stale = current === CONTEXT_NAME;
  const previousContext = stale ? (earlier?.previousContext ?? mark?.previousContext) : current;
  let how: Upstreaming;
  if (req.upstream !== undefined) how = upstreaming(session, req.upstream, false, undefined);
  else if (stale) {
    const upstream = earlier?.upstream ?? mark?.upstream;
    if (upstream === undefined)
      throw new ConfigError('CONFIG_INVALID', `the current docker context is "${CONTEXT_NAME}" but its engine is unknown: give --upstream`);
    const context = earlier?.upstreamContext ?? mark?.upstreamContext;
    how = upstreaming(session, upstream, context !== undefined, context);
  } else {
    const endpoint = await session.endpoint();
    how = upstreaming(session, endpoint.host, endpoint.tls !== undefined, endpoint.contextName);
  }
  const { upstream } = how;
  const launched = await startProxyService(
    session,
    { globals: how.globals, args: ['--mode', req.mode, ...how.args], keepEngineEnv: how.keepEngineEnv, socket, log: join(dir, 'proxy.log') },
    req.service,
  );
  const state: EnforceState = {
    pid: launched.pid,
    socket,
    log: launched.log,
    service: launched.service,
    upstream,
    mode: req.mode,
    configDir: session.configDir,
    ...(how.upstreamContext !== undefined && { upstreamContext: how.upstreamContext }),
    ...(previousContext !== undefined && { previousContext }),
  };
  // The state first: whatever happens next, `off` knows what to put back.
  await writeEnforceState(dir, state);
  await saveContext(session.configDir, CONTEXT_NAME, `unix://${socket}`, {
    Description: 'content trust enforced by the trustext Engine API proxy',
    Trustext: {
      upstream,
      ...(how.upstreamContext !== undefined && { upstreamContext: how.upstreamContext }),
      ...(previousContext !== undefined && { previousContext }),
      ...(launched.service === 'systemd' && { service: 'systemd' as const }),
    } satisfies ContextMark,
  });
  await setCurrentContext(session.configDir, CONTEXT_NAME);
  const proxy = await proxyStatus(socket);
  return { on: true, state, ...(proxy && { proxy }), overridden: overridden(session) };
}

/** `enforce off`: the previous context current again, `trustext` removed, the proxy stopped. */
export async function enforceOff(session: Session): Promise<{ readonly previousContext?: string; readonly stopped: boolean }> {
  const { dir, state, socket } = await found(session);
  const configDir = state?.configDir ?? session.configDir;
  const current = configDir === session.configDir ? session.config.currentContext : (await loadConfigFile(configDir)).currentContext;
  const mark = await contextMark(configDir);
  const previousContext = state?.previousContext ?? mark?.previousContext;
  // Put the old context back only when the user has not switched away from ours since.
  if (current === CONTEXT_NAME) await setCurrentContext(configDir, previousContext);
  if (mark) await removeContext(configDir, CONTEXT_NAME);
  const service = state?.service ?? mark?.service;
  const stopped = await stopProxyService(session, { ...(service && { service }), ...(state && { pid: state.pid }), socket });
  if (state) await removeEnforceState(dir);
  return { ...(previousContext !== undefined && { previousContext }), stopped };
}

/** `enforce status`. */
export async function enforceStatus(session: Session): Promise<EnforceReport> {
  const { state, socket } = await found(session);
  const proxy = await proxyStatus(socket);
  return { on: session.config.currentContext === CONTEXT_NAME, ...(state && { state }), ...(proxy && { proxy }), overridden: overridden(session) };
}
