import { spawn } from 'node:child_process';
import { Agent, type ClientRequestArgs } from 'node:http';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/**
 * An http.Agent that reaches an engine at `ssh://[user@]host[:port][/socket]` the way the docker CLI's ssh
 * connection helper does (cli/connhelper): one `ssh -T -- host docker system dial-stdio` process per connection,
 * speaking HTTP over its stdin and stdout. The system's ssh client, keys and config apply unchanged.
 */
export class SshDialStdioAgent extends Agent {
  readonly #args: string[];

  constructor(sshUrl: string) {
    super({ keepAlive: false });
    const url = new URL(sshUrl);
    const args = ['-o', 'ConnectTimeout=30', '-T'];
    if (url.username) args.push('-l', decodeURIComponent(url.username));
    if (url.port) args.push('-p', url.port);
    args.push('--', url.hostname, 'docker');
    if (url.pathname && url.pathname !== '/') args.push(`--host=unix://${url.pathname}`);
    args.push('system', 'dial-stdio');
    this.#args = args;
  }

  /** The ssh command line used for each connection (for messages and tests). */
  get command(): readonly string[] {
    return ['ssh', ...this.#args];
  }

  override createConnection(_options: ClientRequestArgs): Duplex {
    const child = spawn('ssh', this.#args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 4096) stderr += d; });
    const duplex = Duplex.from({ readable: child.stdout, writable: child.stdin });
    child.on('error', (err) => duplex.destroy(err));
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) duplex.destroy(new Error(`ssh exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`));
    });
    duplex.on('close', () => { if (child.exitCode === null) child.kill(); });
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
