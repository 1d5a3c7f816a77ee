/** A line split into its syslog-style prefix and its message. */
export interface LinePrefix {
  /** Epoch milliseconds, or undefined when the line carries no wall-clock time. */
  readonly timeMs: number | undefined;
  /** Syslog tag without the pid (`sshd`, `postfix/smtpd`), or undefined for a bare or native-format line. */
  readonly program: string | undefined;
  /** The rest of the line: what the program wrote. The whole line when no prefix was recognized. */
  readonly message: string;
  /** Host name of the syslog prefix, or undefined (none, or a prefix without one). */
  readonly host?: string;
  /** Process id of the syslog tag (`sshd[4242]`), or undefined. */
  readonly pid?: number;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const MON = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const DAY = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const TAG = String.raw` (?<host>\S+) (?<tag>[^\s:\[]+)(?:\[(?<pid>\d+)\])?: (?<msg>.*)$`;

// Classic syslog / journalctl short, short-precise; RFC 3339 (rsyslog, short-iso*); short-full; short-unix; short-monotonic/delta.
const SYSLOG = new RegExp(
  String.raw`^(?:<\d{1,3}>)?(?:(?<mon>${MON}) {1,2}(?<day>\d{1,2}) (?<hms>\d\d:\d\d:\d\d)(?<frac>\.\d+)?(?: (?<year>\d{4}))?` +
  String.raw`|(?<iso>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)` +
  String.raw`|(?:${DAY}) (?<full>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?<tz>[A-Za-z]{1,5}|[+-]\d\d:?\d\d)` +
  String.raw`|(?<unix>\d{9,11}(?:\.\d+)?)` +
  String.raw`|\[\s*\d+\.\d+(?: <\s*\d+\.\d+>)?\])` + TAG,
  's',
);
const RFC5424 = /^<\d{1,3}>1 (?<ts>\S+) (?<host>\S+) (?<app>\S+) (?<procid>\S+) \S+ (?:-|(?:\[(?:[^\]\\"]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: (?:\uFEFF)?(?<msg>.*))?$/s;
// Native logs with their own timestamp and no tag: nginx, Apache httpd, vsftpd.log.
const NGINX = /^(?<y>\d{4})\/(?<m>\d\d)\/(?<d>\d\d) (?<hms>\d\d:\d\d:\d\d) \[/;
const CTIME = new RegExp(String.raw`^\[?(?:${DAY}) (?<mon>${MON}) {1,2}(?<day>\d{1,2}) (?<hms>\d\d:\d\d:\d\d)(?<frac>\.\d+)? (?<year>\d{4})\]? `);

/**
 * Splits off the syslog prefix (classic, RFC 5424, journalctl `-o short*`) and reads its time.
 * Classic syslog has no year: it is the year of `referenceMs` (the file's mtime or now), or the
 * one before when that would put the line more than a day after the reference.
 */
export function parsePrefix(line: string, referenceMs: number = Date.now()): LinePrefix {
  const fast = parseClassic(line, referenceMs);
  if (fast) return fast;
  const first = line.charCodeAt(0);
  if (first === 60 /* < */) {
    const r = RFC5424.exec(line);
    if (r) {
      const g = r.groups!;
      return { timeMs: isoTime(g.ts!), program: g.app === '-' ? undefined : g.app, message: g.msg ?? '', host: g.host === '-' ? undefined : g.host, pid: pidOf(g.procid) };
    }
  }
  const s = SYSLOG.exec(line);
  if (s) {
    const g = s.groups!;
    let timeMs: number | undefined;
    if (g.mon) timeMs = classicTime(g.mon, g.day!, g.hms!, g.frac, g.year, referenceMs);
    else if (g.iso) timeMs = isoTime(g.iso);
    else if (g.full) timeMs = fullTime(g.full, g.tz!);
    else if (g.unix) timeMs = Math.round(Number(g.unix) * 1000);
    return { timeMs, program: g.tag, message: g.msg!, host: g.host, pid: pidOf(g.pid) };
  }
  const n = NGINX.exec(line);
  if (n) {
    const g = n.groups!;
    return { timeMs: localTime(+g.y!, +g.m! - 1, +g.d!, g.hms!), program: undefined, message: line };
  }
  const c = CTIME.exec(line);
  if (c) {
    const g = c.groups!;
    return { timeMs: classicTime(g.mon!, g.day!, g.hms!, g.frac, g.year, referenceMs), program: undefined, message: line };
  }
  return { timeMs: undefined, program: undefined, message: line };
}

let lastStamp = '';
let lastStampRef = 0;
let lastStampMs = 0;

// The hot path: `Mmm dd hh:mm:ss host tag[pid]: message`, read without regular expressions.
function parseClassic(line: string, referenceMs: number): LinePrefix | undefined {
  if (line.length < 20 || line.charCodeAt(3) !== 32 || line.charCodeAt(6) !== 32 || line.charCodeAt(9) !== 58 || line.charCodeAt(12) !== 58 || line.charCodeAt(15) !== 32) return undefined;
  const stamp = line.slice(0, 15);
  let timeMs: number;
  if (stamp === lastStamp && referenceMs === lastStampRef) {
    timeMs = lastStampMs;
  } else {
    const t = classicStampMs(line, referenceMs);
    if (t === undefined) return undefined;
    timeMs = t;
    lastStamp = stamp;
    lastStampRef = referenceMs;
    lastStampMs = timeMs;
  }
  const hostEnd = line.indexOf(' ', 16);
  if (hostEnd <= 16) return undefined;
  // No host (`Mmm dd hh:mm:ss sshd[42]: message`): the first word is the tag.
  const hostless = line.charCodeAt(hostEnd - 1) === 58 /* : */;
  const tagStart = hostless ? 16 : hostEnd + 1;
  const colon = hostless ? hostEnd - 1 : line.indexOf(': ', hostEnd + 1);
  if (colon === -1) return undefined;
  let tagEnd = colon;
  let pid: number | undefined;
  if (line.charCodeAt(colon - 1) === 93 /* ] */) {
    tagEnd = line.lastIndexOf('[', colon);
    if (tagEnd < tagStart) return undefined;
    pid = pidOf(line.slice(tagEnd + 1, colon - 1));
  }
  const tag = line.slice(tagStart, tagEnd);
  if (tag.length === 0 || /[\s:[]/.test(tag)) return undefined;
  return { timeMs, program: tag, message: line.slice(colon + 2), host: hostless ? undefined : line.slice(16, hostEnd), pid };
}

/** A pid of 1 to 9 digits (what the scanner module reads too), else undefined. */
export function pidOf(digits: string | undefined): number | undefined {
  if (digits === undefined || !/^\d{1,9}$/.test(digits)) return undefined;
  const pid = Number(digits);
  return pid > 0 ? pid : undefined;
}

/**
 * The time of a classic `Mmm dd hh:mm:ss` stamp at the start of `line` (positions 3, 6, 9, 12
 * and 15 already checked by the caller), or undefined when the month or day is not one.
 */
export function classicStampMs(line: string, referenceMs: number): number | undefined {
  const mon = line.slice(0, 3);
  if (MONTHS[mon] === undefined) return undefined;
  const day = line.charCodeAt(4) === 32 ? line.slice(5, 6) : line.slice(4, 6);
  if (!/^\d\d?$/.test(day)) return undefined;
  return classicTime(mon, day, line.slice(7, 15), undefined, undefined, referenceMs);
}

// new Date(y, m, d, h) is slow: cache it per hour (offsets from the local-time hour are exact).
const hourCache = new Map<string, number>();

function localTime(year: number, month: number, day: number, hms: string, frac?: string): number {
  const h = Number(hms.slice(0, 2));
  const key = `${year}-${month}-${day}-${h}`;
  let base = hourCache.get(key);
  if (base === undefined) {
    if (hourCache.size > 10_000) hourCache.clear();
    base = new Date(year, month, day, h).getTime();
    hourCache.set(key, base);
  }
  return base + Number(hms.slice(3, 5)) * 60_000 + Number(hms.slice(6, 8)) * 1000 + (frac ? Math.floor(Number(frac) * 1000) : 0);
}

// Lines come in time order: most share the second of the line before.
let lastKey = '';
let lastMs = 0;

function classicTime(mon: string, day: string, hms: string, frac: string | undefined, year: string | undefined, referenceMs: number): number {
  const key = `${mon} ${day} ${hms} ${year ?? ''} ${referenceMs}`;
  if (key !== lastKey) {
    lastMs = classicTimeUncached(mon, day, hms, undefined, year, referenceMs);
    lastKey = key;
  }
  return frac ? lastMs + Math.floor(Number(frac) * 1000) : lastMs;
}

function classicTimeUncached(mon: string, day: string, hms: string, frac: string | undefined, year: string | undefined, referenceMs: number): number {
  const month = MONTHS[mon]!;
  if (year) return localTime(Number(year), month, Number(day), hms, frac);
  const referenceYear = new Date(referenceMs).getFullYear();
  const t = localTime(referenceYear, month, Number(day), hms, frac);
  return t > referenceMs + 86_400_000 ? localTime(referenceYear - 1, month, Number(day), hms, frac) : t;
}

function isoTime(text: string): number | undefined {
  const fixed = text.replace(' ', 'T').replace(/([+-]\d\d)(\d\d)$/, '$1:$2').replace(/(\.\d{3})\d+/, '$1');
  const t = Date.parse(fixed);
  return Number.isNaN(t) ? undefined : t;
}

function fullTime(text: string, tz: string): number | undefined {
  const [date, hms] = text.split(' ') as [string, string];
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [clock, frac] = hms.split('.') as [string, string | undefined];
  if (/^(?:UTC|GMT|Z)$/i.test(tz)) return isoTime(`${date}T${hms}Z`);
  if (/^[+-]/.test(tz)) return isoTime(`${date}T${hms}${tz}`);
  return localTime(y, m - 1, d, clock, frac ? `.${frac}` : undefined);
}
