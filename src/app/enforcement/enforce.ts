/**
 * `docker trustext enforce on|off|status` (issue #11): the one-command setup. `on` starts the proxy as a detached
 * process (pid and log in the runtime directory) in front of the engine docker uses now, creates the docker context
 * `trustext` at its socket and makes it current, remembering the context that was; `off` puts that context back,
 * removes `trustext` and stops the proxy (SIGTERM: it lets open exchanges finish); `status` asks the proxy.
 */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadConfigFile, loadContextMetadata, removeContext, saveContext, setCurrentContext } from '../../docker-config/index.ts';
import { proxyStatus } from '../../proxy/index.ts';
import { ConfigError } from '../../shared/errors.ts';
import { isRunning } from '../../shared/lock-holder.ts';
import type { Session } from '../session/index.ts';
import { CONTEXT_NAME, readEnforceState, removeEnforceState, writeEnforceState, type EnforceState } from './enforce-state.ts';
import type { EnforcementMode } from './gate.ts';
import { runtimeDir, SOCKET_FILE } from './runtime-dir.ts';
import { waitUntil } from './wait.ts';

/** How long `on` waits for the proxy to answer, and `off` for it to exit. */
const START_MS = 15_000;
const STOP_MS = 15_000;

/**
 * Variables the detached proxy must not see: the docker CLI's plugin socket (it would stop the proxy when this
 * command ends), the engine selection (the upstream is given explicitly), and passphrases (it never signs).
 */
const NOT_HANDED_DOWN: ReadonlySet<string> = new Set([
  'DOCKER_CLI_PLUGIN_SOCKET',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE',
  'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE',
  'COSIGN_PASSWORD',
]);

/**
 * What the `trustext` context carries in its metadata, so `off` (and `on` after a reboot emptied the runtime
 * directory) still knows the context to restore and the engine behind the proxy.
 */
interface ContextMark {
  readonly upstream: string;
  /** The docker context the proxy resolves its engine from (a TLS engine: its certificates are in the context). */
  readonly upstreamContext?: string;
  readonly previousContext?: string;
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

/**
 * Starts the proxy detached, logging to `log`; resolves its pid once it answers on `socket`. `globals` go before
 * the command (docker's global options, e.g. --context); `keepEngineEnv` hands DOCKER_HOST and DOCKER_TLS_* down
 * (a TLS engine named by the environment).
 */
async function startDetached(session: Session, how: Upstreaming, args: readonly string[], socket: string, log: string): Promise<number> {
  const self = session.environment.selfCommand;
  if (!self?.length) throw new ConfigError('CONFIG_INVALID', 'cannot tell how to run trustext again to start the proxy');
  const out = await open(log, 'a', 0o600);
  const dropped = (name: string) => NOT_HANDED_DOWN.has(name) && !(how.keepEngineEnv && name === 'DOCKER_HOST');
  const env = Object.fromEntries(Object.entries(session.environment.env).filter(([name]) => !dropped(name)));
  const child = spawn(self[0]!, [...self.slice(1), ...how.globals, 'trustext', 'proxy', ...args, ...how.args], {
    detached: true,
    stdio: ['ignore', out.fd, out.fd],
    env,
    cwd: dirname(log),
  });
  await out.close();
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  child.unref();
  const up = await waitUntil(async () => exited || (await proxyStatus(socket, 500)) !== undefined, START_MS);
  if (!up || exited || child.pid === undefined) {
    if (!exited) child.kill('SIGTERM');
    throw new ConfigError('CONFIG_INVALID', `the proxy did not start: see ${log}`);
  }
  return child.pid;
}

/** `enforce on`: the proxy started and the `trustext` context current. */
export async function enforceOn(session: Session, req: { readonly mode: EnforcementMode; readonly upstream?: string }): Promise<EnforceReport> {
  const dir = await runtimeDir(session.environment.settings);
  const earlier = await readEnforceState(dir);
  if (earlier && (await proxyStatus(earlier.socket)) !== undefined) {
    throw new ConfigError(
      'CONFIG_INVALID',
      `enforcement is already on (proxy pid ${earlier.pid} on unix://${earlier.socket}): run 'docker trustext enforce off' first`,
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
  const socket = join(dir, SOCKET_FILE);
  const log = join(dir, 'proxy.log');
  const pid = await startDetached(session, how, ['--listen', `unix://${socket}`, '--mode', req.mode], socket, log);
  const state: EnforceState = {
    pid,
    socket,
    log,
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
    } satisfies ContextMark,
  });
  await setCurrentContext(session.configDir, CONTEXT_NAME);
  const proxy = await proxyStatus(socket);
  return { on: true, state, ...(proxy && { proxy }), overridden: overridden(session) };
}

/** `enforce off`: the previous context current again, `trustext` removed, the proxy stopped. */
export async function enforceOff(session: Session): Promise<{ readonly previousContext?: string; readonly stopped: boolean }> {
  const dir = await runtimeDir(session.environment.settings);
  const state = await readEnforceState(dir);
  const configDir = state?.configDir ?? session.configDir;
  const current = configDir === session.configDir ? session.config.currentContext : (await loadConfigFile(configDir)).currentContext;
  const mark = await contextMark(configDir);
  const previousContext = state?.previousContext ?? mark?.previousContext;
  // Put the old context back only when the user has not switched away from ours since.
  if (current === CONTEXT_NAME) await setCurrentContext(configDir, previousContext);
  if (mark) await removeContext(configDir, CONTEXT_NAME);
  let stopped = false;
  if (state) {
    const status = await proxyStatus(state.socket);
    // Signal only the process that says it is our proxy (a pid alone may have been reused).
    if (status?.pid === state.pid && isRunning(state.pid)) {
      process.kill(state.pid, 'SIGTERM');
      stopped = await waitUntil(async () => !isRunning(state.pid), STOP_MS);
      if (!stopped) {
        process.kill(state.pid, 'SIGKILL');
        stopped = true;
      }
    }
    await removeEnforceState(dir);
  }
  return { ...(previousContext !== undefined && { previousContext }), stopped };
}

/** `enforce status`. */
export async function enforceStatus(session: Session): Promise<EnforceReport> {
  const dir = await runtimeDir(session.environment.settings);
  const state = await readEnforceState(dir);
  const proxy = state ? await proxyStatus(state.socket) : undefined;
  return { on: session.config.currentContext === CONTEXT_NAME, ...(state && { state }), ...(proxy && { proxy }), overridden: overridden(session) };
}
