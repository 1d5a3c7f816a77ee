import { parsePrefix, pidOf, type LinePrefix } from './parse-prefix.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/**
 * A log line that is one JSON record, as collectors ship them, read as a syslog line: the inner
 * message, the time of the record (else the message's own), the program, host and pid. Knows
 * journald's export (`journalctl -o json`: MESSAGE, SYSLOG_IDENTIFIER, _PID, _HOSTNAME,
 * __REALTIME_TIMESTAMP), Filebeat/Elastic ECS (message, @timestamp, process, host), Docker's
 * json-file driver (log, time) and Fluent Bit / Vector (log or message, date or timestamp,
 * appname, procid, hostname). Null when the line is not such a record. (journald writes a
 * message that is not UTF-8 as an array of bytes: the scanner finds no anchor in it.)
 */
export function parseJsonRecord(line: string, referenceMs: number): LinePrefix | null {
  let record: Json | undefined;
  try {
    record = obj(JSON.parse(line));
  } catch {
    return null;
  }
  if (!record) return null;
  const text = str(record.MESSAGE) ?? str(record.message) ?? str(record.log) ?? str(record.msg);
  if (text === undefined) return null;
  const message = text.replace(/[\r\n]+$/, '');
  const process = obj(record.process);
  const host = obj(record.host);
  const program = str(record.SYSLOG_IDENTIFIER) ?? str(record._COMM) ?? str(process?.name) ?? str(record.appname) ?? str(record.ident) ?? str(record.program);
  const timeMs = recordTime(record);
  const fields: LinePrefix = {
    timeMs,
    program,
    message,
    host: str(record._HOSTNAME) ?? str(host?.name) ?? str(host?.hostname) ?? str(record.host) ?? str(record.hostname),
    pid: pidOf(String(record._PID ?? record.SYSLOG_PID ?? process?.pid ?? record.procid ?? record.pid ?? '')),
  };
  if (program !== undefined) return fields;
  // The message may be a whole syslog line (Docker, Filebeat without its syslog processor).
  const inner = parsePrefix(message, timeMs ?? referenceMs);
  if (inner.program === undefined && inner.timeMs === undefined) return fields;
  return { ...inner, timeMs: timeMs ?? inner.timeMs, host: fields.host ?? inner.host, pid: fields.pid ?? inner.pid };
}

function recordTime(record: Json): number | undefined {
  const micros = str(record.__REALTIME_TIMESTAMP) ?? str(record._SOURCE_REALTIME_TIMESTAMP);
  if (micros !== undefined && /^\d{1,17}$/.test(micros)) return Math.floor(Number(micros) / 1000);
  for (const key of ['@timestamp', 'timestamp', 'time', 'date']) {
    const t = timeOf(record[key]);
    if (t !== undefined) return t;
  }
  return undefined;
}

// An ISO 8601 string, or epoch seconds (Fluent Bit's `date`), milliseconds or microseconds.
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return Math.round(value * 1000);
    return value < 1e14 ? Math.round(value) : Math.floor(value / 1000);
  }
  if (typeof value !== 'string') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return timeOf(Number(value));
  const t = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? undefined : t;
}
