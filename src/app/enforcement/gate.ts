/**
 * The Engine API proxy's gate (issue #11): every request the proxy classifies is decided here — pulls
 * (pull-check.ts), creates, starts and services (run-check.ts), builds (the policy's engine.builds) — under the
 * trust version of the moment (a policy or key store edit applies to the next request, and clears the cache). In
 * `warn` mode a trust refusal becomes a warning (logged, and a status line of the pull) and the request goes
 * through as it came; requests the proxy cannot read as the daemon would are refused in both modes.
 */
import { ApiRequestError } from '../../shared/errors.ts';
import type { Endpoint as ApiEndpoint, Gate, GateDecision, GateRequest } from '../../proxy/index.ts';
import type { Policy } from '../../trust/index.ts';
import type { Session } from '../session/index.ts';
import { engineChoice, type Enforcement, type TrustedDigest } from './context.ts';
import { checkImageCreate } from './pull-check.ts';
import { checkContainerCreate, checkContainerStart, checkService } from './run-check.ts';
import { trustVersion } from './trust-version.ts';
import { VerdictCache } from './verdict-cache.ts';

/** `enforce` refuses what is not trusted; `warn` lets it through and says so. */
export type EnforcementMode = 'enforce' | 'warn';

/** Counters for `enforce status`. */
export interface GateCounters {
  allowed: number;
  refused: number;
  warned: number;
}

/** The gate, with what `status` shows of it. */
export interface ProxyGate extends Gate {
  readonly mode: EnforcementMode;
  readonly counters: Readonly<GateCounters>;
  readonly cache: VerdictCache;
}

/** The docker CLI, which answers a create's 404 with a pull and a second create (docker/cli container/create.go). */
const isDockerCli = (userAgent: string | undefined) => userAgent?.startsWith('Docker-Client/') === true;

/** Whether a refusal is a trust decision (warn mode lets it through) rather than a request the proxy cannot read. */
const isTrustRefusal = (err: unknown) => !(err instanceof ApiRequestError) || err.status === 403 || err.status === 404;

/** One endpoint's decision. */
type Check = (ctx: Enforcement, request: GateRequest) => Promise<GateDecision>;

/** Builds are allowed unless the policy refuses them (engine.builds). */
const buildCheck: Check = async (ctx) => {
  if (engineChoice(ctx.policy, 'builds') === 'refuse') {
    throw new ApiRequestError('builds are refused by the trust policy ("engine": {"builds": "refuse"})', { status: 403 });
  }
  return { kind: 'forward' };
};

/** The endpoints the gate has a view on, each with its decision; everything else is forwarded without reading the policy. */
const CHECKS: Partial<Record<ApiEndpoint, Check>> = {
  'images-create': (ctx, { route, contentTypes }) => checkImageCreate(ctx, route, contentTypes),
  'containers-create': (ctx, { route, body, userAgent }) => checkContainerCreate(ctx, route, body, isDockerCli(userAgent)),
  'containers-start': (ctx, { route }) => checkContainerStart(ctx, route),
  'containers-restart': (ctx, { route }) => checkContainerStart(ctx, route),
  'services-create': (ctx, { route, body }) => serviceCheck(ctx, route, body),
  'services-update': (ctx, { route, body }) => serviceCheck(ctx, route, body),
  'plugins-install': async () => {
    throw new ApiRequestError('installing or enabling engine plugins is refused while content trust is enforced (plugins run as root, unverified)', {
      status: 403,
    });
  },
  'swarm-join': async () => {
    throw new ApiRequestError('joining a swarm is refused while content trust is enforced (its managers could run any image here)', { status: 403 });
  },
  build: buildCheck,
  grpc: buildCheck,
  session: buildCheck,
};

/** A service create or update; a rollback runs the previous spec, not the one in the body (moby/moby api/server/router/swarm). */
async function serviceCheck(ctx: Enforcement, route: GateRequest['route'], body: Uint8Array | undefined): Promise<GateDecision> {
  if (route.query.get('rollback')?.includes('previous')) {
    throw new ApiRequestError('rolling a service back is refused while content trust is enforced: update it to a signed image', { status: 403 });
  }
  return checkService(ctx, body);
}

/** The gate enforcing content trust for the proxy in front of `session`'s engine; `now` is the cache's clock. */
export function proxyGate(session: Session, options: { mode: EnforcementMode; now?: () => number; trusted?: TrustedDigest }): ProxyGate {
  const cache = new VerdictCache(options.now ?? Date.now);
  const counters: GateCounters = { allowed: 0, refused: 0, warned: 0 };
  let current: { version: string; policy: Promise<Policy> } | undefined;
  const policyOf = async (): Promise<{ version: string; policy: Policy }> => {
    const version = await trustVersion(session);
    cache.sync(version);
    if (current?.version !== version) current = { version, policy: session.policy() };
    return { version, policy: await current.policy };
  };
  return {
    mode: options.mode,
    counters,
    cache,
    async decide(request) {
      const check = CHECKS[request.route.endpoint];
      if (!check) return { kind: 'forward' };
      try {
        const { version, policy } = await policyOf();
        const decision = await check(
          {
            session,
            policy,
            version,
            cache,
            ...(request.registryAuth !== undefined && { registryAuth: request.registryAuth }),
            ...(options.trusted && { trusted: options.trusted }),
          },
          request,
        );
        if (decision.note !== undefined) counters.allowed++;
        return decision;
      } catch (err) {
        if (options.mode === 'warn' && isTrustRefusal(err)) {
          counters.warned++;
          return { kind: 'forward', ...(request.body && { body: request.body }), warning: `content trust would refuse this: ${(err as Error).message}` };
        }
        counters.refused++;
        throw err;
      }
    },
  };
}
