import type { ProgressEvent, ProgressListener } from '../app/index.ts';
import type { Out } from './io.ts';

/** A progress listener plus `done()`, which settles the display when the stream ends. */
export interface ProgressPrinter {
  readonly listener: ProgressListener;
  done(): void;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];
function human(n: number): string {
  let i = 0;
  while (n >= 1000 && i < UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(2)}${UNITS[i]}`;
}

function bar(e: ProgressEvent, width: number): string {
  if (e.total === undefined || e.total <= 0 || e.current === undefined) return '';
  const cells = Math.max(10, Math.min(50, width - 60));
  const filled = Math.min(cells, Math.floor((e.current / e.total) * cells));
  const arrow = filled < cells ? '>' : '';
  return ` [${'='.repeat(Math.max(0, filled - arrow.length))}${arrow}${' '.repeat(cells - filled)}] ${human(e.current)}/${human(e.total)}`;
}

/**
 * Renders the engine's progress like docker's jsonmessage display. On a terminal each layer keeps one line,
 * rewritten in place with its progress bar; elsewhere progress-bar updates are dropped and every other
 * status is printed as a plain `id: status` line. Quiet prints nothing.
 */
export function progressPrinter(out: Out, quiet: boolean): ProgressPrinter {
  if (quiet) return { listener: () => {}, done: () => {} };
  if (!out.isTTY) {
    return {
      listener: (e) => {
        if (e.total !== undefined && e.total > 0) return;
        out.write(`${e.id ? `${e.id}: ` : ''}${e.status}\n`);
      },
      done: () => {},
    };
  }
  const lines: string[] = []; // ids in screen order; the cursor sits below the last one
  return {
    listener: (e) => {
      const text = `${e.id ? `${e.id}: ` : ''}${e.status}${bar(e, out.columns ?? 80)}`;
      if (!e.id) {
        out.write(`${text}\n`);
        lines.length = 0;
        return;
      }
      const index = lines.indexOf(e.id);
      if (index < 0) {
        lines.push(e.id);
        out.write(`${text}\n`);
        return;
      }
      const up = lines.length - index;
      out.write(`\x1b[${up}A\r\x1b[2K${text}\x1b[${up}B\r`);
    },
    done: () => {},
  };
}
