/** First bytes of a peer that is not an SSH server, made safe for a terminal and a log line. */

/** Lines other protocols open with: HTTP status, SMTP/FTP reply codes, POP3, IMAP. */
const OTHER_PROTOCOL = /^(HTTP\/\d|\d{3}[ -]|\+OK|-ERR|\* (OK|PREAUTH|BYE))/;

/** True when a server's line is another protocol's greeting or answer, not text before an SSH banner. */
export function isOtherProtocol(line: string): boolean {
  return OTHER_PROTOCOL.test(line);
}

/** Printable ASCII as is; anything else (control characters, bytes past 0x7e, quotes, backslashes) escaped. */
export function escapeText(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, (c) => {
    if (c === '"' || c === '\\') return `\\${c}`;
    const code = c.charCodeAt(0);
    return code === 9 ? '\\t' : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** `"HTTP/1.1 400 Bad Request"`, `a TLS record (...)` or `7 bytes of binary data (hex ...)`. */
export function describePeerBytes(data: Buffer): string {
  if (data.length >= 3 && data[0]! >= 0x14 && data[0]! <= 0x17 && data[1] === 0x03) {
    return `a TLS ${data[0] === 0x15 ? 'alert' : 'record'} (${hex(data)}): the port speaks TLS`;
  }
  const first = data.subarray(0, 80).toString('latin1').split(/\r?\n/)[0] ?? '';
  const printable = first.length > 0 && (/^[\x20-\x7e\t]*$/.test(first) || isOtherProtocol(first));
  return printable ? `"${escapeText(first)}"` : `${data.length} bytes of binary data (${hex(data)})`;
}

function hex(data: Buffer): string {
  return `hex ${data.subarray(0, 8).toString('hex').replace(/(..)(?!$)/g, '$1 ')}${data.length > 8 ? ' ...' : ''}`;
}
