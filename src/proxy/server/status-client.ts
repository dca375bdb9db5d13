/** Asking a running proxy how it is (`GET /_trustext/status` on its socket), for `enforce on` and `status`. */
import { request } from 'node:http';
import { STATUS_PATH } from './proxy-server.ts';

/** The proxy's status answer on `socketPath`, or undefined when nothing answers there (within `timeoutMs`). */
export function proxyStatus(socketPath: string, timeoutMs = 2_000): Promise<Record<string, unknown> | undefined> {
  return new Promise((done) => {
    const req = request({ socketPath, method: 'GET', path: STATUS_PATH, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => {
        if (body.length < 65_536) body += d;
      });
      res.on('end', () => {
        try {
          const parsed: unknown = JSON.parse(body);
          done(res.statusCode === 200 && typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined);
        } catch {
          done(undefined);
        }
      });
      res.on('error', () => done(undefined));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}
