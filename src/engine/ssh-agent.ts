import { spawn } from 'node:child_process';
import { Agent, type ClientRequestArgs } from 'node:http';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { unbracket } from '../net/index.ts';
import { ConfigError } from '../shared/errors.ts';

/** POSIX-shell quoting for the remote command line ssh hands to the remote shell. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** docker/cli connhelper/ssh ParseURL: user, host (brackets stripped), port and socket path; nothing else. */
function parseSshUrl(sshUrl: string): { user: string; host: string; port: string; path: string } {
  let url: URL;
  try {
    url = new URL(sshUrl);
  } catch {
    throw new ConfigError('CONFIG_INVALID', `invalid ssh engine host ${sshUrl}`);
  }
  const fail = (why: string) => new ConfigError('CONFIG_INVALID', `ssh engine host ${sshUrl}: ${why}`);
  if (url.password) throw fail('plain-text password is not supported');
  if (url.search) throw fail(`extra query after the host: "${url.search.slice(1)}"`);
  if (url.hash) throw fail(`extra fragment after the host: "${url.hash.slice(1)}"`);
  const host = unbracket(url.hostname);
  if (!host) throw fail('no host specified');
  return { user: decodeURIComponent(url.username), host, port: url.port, path: decodeURIComponent(url.pathname) };
}

/**
 * An http.Agent that reaches an engine at `ssh://[user@]host[:port][/socket]` the way the docker CLI's ssh
 * connection helper does (cli/connhelper): one `ssh -T -- host docker system dial-stdio` process per connection,
 * speaking HTTP over its stdin and stdout. The system's ssh client, keys and config apply unchanged.
 */
export class SshDialStdioAgent extends Agent {
  readonly #args: string[];

  /** `keepAlive` keeps each ssh process for further requests, as Go's transport does in the docker CLI. */
  constructor(sshUrl: string, opts: { readonly keepAlive?: boolean } = {}) {
    super({ keepAlive: opts.keepAlive ?? false });
    const { user, host, port, path } = parseSshUrl(sshUrl);
    const args = ['-o', 'ConnectTimeout=30', '-T'];
    if (user) args.push('-l', user);
    if (port) args.push('-p', port);
    const remote = ['docker', ...(path && path !== '/' ? [`--host=unix://${path}`] : []), 'system', 'dial-stdio'];
    // ssh joins the remote command into one line for the remote shell: quote it, as docker does.
    this.#args = [...args, '--', host, ...remote.map(shellQuote)];
  }

  /** The ssh command line used for each connection (for messages and tests). */
  get command(): readonly string[] {
    return ['ssh', ...this.#args];
  }

  override createConnection(_options: ClientRequestArgs): Duplex {
    return this.dial();
  }

  /**
   * A new connection to the engine: a byte stream over one ssh process, ending the process when it closes;
   * ending its writable side closes ssh's stdin, which `dial-stdio` passes on as a half-close.
   */
  dial(): Duplex {
    const child = spawn('ssh', this.#args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
    child.on('error', (err) => duplex.destroy(err));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) duplex.destroy(new Error(`ssh exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    duplex.on('close', () => {
      if (child.exitCode === null) child.kill();
    });
    // http.ClientRequest treats the connection as a socket; give it the socket methods it calls.
    const socketLike = duplex as unknown as Partial<Socket>;
    socketLike.setNoDelay = () => socketLike as Socket;
    socketLike.setKeepAlive = () => socketLike as Socket;
    socketLike.setTimeout = () => socketLike as Socket;
    socketLike.ref = () => socketLike as Socket;
    socketLike.unref = () => socketLike as Socket;
    return duplex;
  }
}
