/**
 * A verified pull on the daemon's path, as DOCKER_CONTENT_TRUST's trustedPull did it on the client's
 * (docker/cli cli/command/image/trust.go before v29): the engine pulls `name@<verified digest>` — the request as it
 * came, only fromImage and tag changed — its progress streams back unchanged, and once it ends without an in-band
 * error (moby/moby api/types/jsonstream Message `error`, sent under HTTP 200) the digest is tagged `name:tag` and a
 * last status line says so. The stream stays one JSON object per line throughout.
 */
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { engineRequest, headersWithoutBody } from './relay.ts';
import type { Upstream } from './upstream.ts';

/** One progress message, as the daemon writes them (`\r\n` after each). */
export const line = (message: object) => `${JSON.stringify(message)}\r\n`;
const errorLine = (message: string) => line({ errorDetail: { message }, error: message });

/** Whether a stream of progress lines carries an in-band error; fed chunk by chunk, keeping at most one partial line. */
function errorWatcher(): { feed(chunk: Buffer): void; readonly failed: boolean } {
  let partial = '';
  let failed = false;
  return {
    feed(chunk) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = (lines.pop() ?? '').slice(-64 * 1024);
      for (const l of lines) {
        if (failed || !l.includes('"error')) continue;
        try {
          const m = JSON.parse(l) as { error?: unknown; errorDetail?: unknown };
          failed = m.error !== undefined || m.errorDetail !== undefined;
        } catch {
          // not one message per line: the client will see what the engine sent
        }
      }
    },
    get failed() {
      return failed;
    },
  };
}

/** POST /images/{name@digest}/tag?repo=name&tag=tag to the engine; resolves its error message, or undefined. */
function tagImage(upstream: Upstream, versionPrefix: string, source: string, repo: string, tag: string): Promise<string | undefined> {
  const path = `${versionPrefix}/images/${encodeURIComponent(source)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`;
  return new Promise((done) => {
    const req = request({ ...upstream.requestOptions(), method: 'POST', path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        if (body.length < 4096) body += d;
      });
      res.on('end', () => {
        if ((res.statusCode ?? 500) < 300) return done(undefined);
        let message = body.trim();
        try {
          message = String((JSON.parse(body) as { message?: unknown }).message ?? message);
        } catch {
          // keep the raw text
        }
        done(`tagging ${source} as ${repo}:${tag}: ${message}`);
      });
    });
    req.on('error', (err) => done(`tagging ${source} as ${repo}:${tag}: ${err.message}`));
    req.end();
  });
}

/** Runs a verified pull for `req`: pull `name@digest` through the engine, then tag, streaming progress to `res`. */
export function relayVerifiedPull(
  upstream: Upstream,
  req: IncomingMessage,
  res: ServerResponse,
  pull: {
    readonly name: string;
    readonly digest: string;
    readonly tag?: string;
    readonly platform?: string;
    readonly version?: string;
    /** A warning the policy let through, as a status line before the last one. */
    readonly warning?: string;
  },
): void {
  const prefix = pull.version === undefined ? '' : `/v${pull.version}`;
  const platform = pull.platform === undefined ? '' : `&platform=${encodeURIComponent(pull.platform)}`;
  const path = `${prefix}/images/create?fromImage=${encodeURIComponent(pull.name)}&tag=${encodeURIComponent(pull.digest)}${platform}`;
  const up = engineRequest(upstream, res, { method: 'POST', path, headers: headersWithoutBody(req) });
  up.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
    if (answer.statusCode !== 200) {
      answer.pipe(res);
      return;
    }
    const watch = errorWatcher();
    answer.on('data', (chunk: Buffer) => {
      watch.feed(chunk);
      if (!res.write(chunk)) answer.pause();
    });
    res.on('drain', () => answer.resume());
    answer.on('error', () => res.destroy());
    answer.on('end', async () => {
      if (pull.warning !== undefined && !watch.failed) res.write(line({ status: `WARNING: ${pull.warning}` }));
      if (watch.failed || pull.tag === undefined) {
        if (!watch.failed) res.write(line({ status: `Verified ${pull.name}@${pull.digest}` }));
        res.end();
        return;
      }
      const failure = await tagImage(upstream, prefix, `${pull.name}@${pull.digest}`, pull.name, pull.tag);
      res.end(failure ? errorLine(failure) : line({ status: `Tagged ${pull.name}:${pull.tag} (verified ${pull.digest})` }));
    });
  });
  up.end();
  req.resume(); // a body the pull does not use is read and dropped, so the connection stays usable
}
