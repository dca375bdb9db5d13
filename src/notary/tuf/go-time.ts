/**
 * Go's time.RFC3339Nano as notary writes `expires` (UTC, fractional zeros trimmed, no fraction when zero) and
 * a parser for what Go's time.Time UnmarshalJSON accepts. Parsed times keep nanosecond precision as a bigint;
 * the original string stays in the metadata, so nothing is ever re-serialised from a parsed time. Pure.
 */
import { NotaryError } from '../../shared/errors.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** `date` (plus `extraNanos`, 0–999999, below its millisecond) as Go RFC3339Nano in UTC, e.g. `2029-11-21T18:21:55.000097293Z`. */
export function goRfc3339Nano(date: Date, extraNanos = 0): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid date');
  if (!Number.isInteger(extraNanos) || extraNanos < 0 || extraNanos > 999_999) throw new RangeError(`extraNanos out of range: ${extraNanos}`);
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ (years 0–9999)
  if (iso.length !== 24) throw new RangeError(`year outside 0000-9999: ${iso}`);
  const nanos = (ms - Math.floor(ms / 1000) * 1000) * 1_000_000 + extraNanos;
  const fraction = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
  return `${iso.slice(0, 19)}${fraction}Z`;
}

/** Nanoseconds since the Unix epoch of an RFC 3339 time as Go parses it (any offset, 0–9 fractional digits); TRUST_DATA_INVALID otherwise. */
export function parseGoTime(text: string): bigint {
  const m = RFC3339.exec(text);
  if (!m) throw new NotaryError('TRUST_DATA_INVALID', `invalid time ${JSON.stringify(text.slice(0, 64))}`);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const base = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(base);
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps them, and the round trip rejects 2021-02-30 or 25:00.
  back.setUTCFullYear(y);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    throw new NotaryError('TRUST_DATA_INVALID', `invalid time ${JSON.stringify(text)}`);
  }
  const zone = m[8]!;
  const offsetMin = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) {
    throw new NotaryError('TRUST_DATA_INVALID', `invalid time zone in ${JSON.stringify(text)}`);
  }
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  return (BigInt(back.getTime()) - BigInt(offsetMin) * 60_000n) * 1_000_000n + fraction;
}

/** Whether `expires` lies before `now`, as notary's `signed.IsExpired` (`t.Before(time.Now())`). */
export function isExpired(expires: string, now: Date): boolean {
  return parseGoTime(expires) < BigInt(now.getTime()) * 1_000_000n;
}
