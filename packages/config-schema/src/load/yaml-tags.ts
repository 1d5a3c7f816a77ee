import type { ScalarTag } from 'yaml';

/**
 * `!!binary`: base64 text (line breaks and spaces allowed) read into bytes; the loader then gives
 * a base64 string (the default) or a Buffer. Only explicit tags: nothing plain is read as binary.
 */
export const binaryTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  identify: () => false,
  resolve(text, onError) {
    const compact = text.replace(/[\s]+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      onError('!!binary holds text that is not base64 (A-Z, a-z, 0-9, +, /, = padding)');
      return text;
    }
    return Buffer.from(compact, 'base64');
  },
};

const TIMESTAMP = /^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d\d?(?::?\d\d)?))?)?$/;

/**
 * `!!timestamp` (YAML 1.1): a date stays `YYYY-MM-DD`; a date and time becomes the ISO 8601
 * string in UTC (`2001-12-14T21:59:43.10Z`), the fraction kept digit for digit, no time zone meaning
 * UTC as YAML 1.1 says. Only explicit tags: a plain `2001-12-14` stays a string (YAML 1.2).
 */
export const timestampTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  identify: () => false,
  resolve(text, onError) {
    const m = TIMESTAMP.exec(text.trim());
    if (!m) {
      onError('!!timestamp must be a YAML 1.1 timestamp such as 2001-12-14 or 2001-12-14T21:59:43.10-05:00');
      return text;
    }
    const [, y, mo, d, h, mi, s, fraction, zone] = m;
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)));
    if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(mo) - 1) {
      onError(`!!timestamp ${text.trim()} is not a calendar date`);
      return text;
    }
    if (h === undefined) return date.toISOString().slice(0, 10);
    if (zone && zone !== 'Z') {
      const [zh, zm] = zone.slice(1).includes(':') ? zone.slice(1).split(':') : [zone.slice(1, -2) || zone.slice(1), zone.length > 3 ? zone.slice(-2) : '0'];
      const minutes = Number(zh) * 60 + Number(zm);
      date.setTime(date.getTime() - (zone[0] === '-' ? -1 : 1) * minutes * 60_000);
    }
    return `${date.toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
  },
};
