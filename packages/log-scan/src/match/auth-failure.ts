/** One failed authentication found in a log line. */
export interface AuthFailure {
  /** Remote address, canonical: IPv4 dotted, IPv6 compressed lower-case (zone kept), mapped IPv4 as IPv4. */
  readonly ip: string;
  /** User name tried, or null when the line names none. */
  readonly user: string | null;
  /** Stable matcher key (`sshd-failed-password`, ...): see the README table. */
  readonly kind: string;
  /** When it happened (ISO 8601, UTC), or null when the line carries no time. */
  readonly time: string | null;
  /** How many failures the line stands for: N for sshd's "message repeated N times: [ ... ]", else 1. */
  readonly count: number;
}

/** An `AuthFailure` with where it was found, as `events()` yields and `--events` prints. */
export interface AuthFailureEvent extends AuthFailure {
  /** Name of the source (path, `-`, `s3://...`). */
  readonly source: string;
  /** 1-based line number in that source. */
  readonly line: number;
}
