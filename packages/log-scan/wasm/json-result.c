// The result as `log-scan --format json` prints its "ips" array, written from the tables (part
// of scanner.c: #included at its end). The same bytes as formatResult(buildResult(...)) in
// JavaScript: addresses by count (most first), then address (code-unit order); users in file
// order (pairs in range order, repeats dropped, at most cfg.max_users); kinds by count, then name;
// times as Date.toISOString; strings as JSON.stringify writes them (user names decoded as
// decodeBytes does: each byte of an invalid UTF-8 sequence as a lone surrogate U+DC80 + byte),
// then jsonSafe (DEL, C1 controls, bidirectional controls and line separators as \uXXXX).
// When it cannot be exact (a count that is no integer below 2^53, a spilled kind count, a time
// out of toISOString's four-digit years) result_prepare says so and JavaScript builds the result.

static u8 kind_names[KINDS][48];
static u32 kind_name_len[KINDS];

/** Kind k's name (at most 47 bytes of plain ASCII, at `at`). */
EXPORT(set_kind_name) void set_kind_name(u32 k, u32 at, u32 n) {
  if (k >= KINDS || n >= sizeof kind_names[0]) return;
  copy((u32)kind_names[k], at, n);
  kind_name_len[k] = n;
}

static u32 *chosen;      // address ids in output order
static u32 nchosen, next_chosen;
static u32 *user_start;  // users of chosen[k]: user_list[user_start[k] .. user_start[k + 1])
static u32 *user_list;
static double result_matches, result_addresses;
static u32 out_at, out_cap;

EXPORT(result_matches) double get_result_matches(void) { return result_matches; }
EXPORT(result_addresses) double get_result_addresses(void) { return result_addresses; }

// a before b in the output: more failures first, then the address text in code-unit order.
static int before(u32 a, u32 b) {
  if (ips[a].count != ips[b].count) return ips[a].count > ips[b].count;
  u32 la = ips[a].len, lb = ips[b].len, n = la < lb ? la : lb;
  for (u32 i = 0; i < n; i++) {
    u8 x = B(ips[a].key + i), y = B(ips[b].key + i);
    if (x != y) return x < y;
  }
  return la < lb;
}

static void sort_ids(u32 *ids, u32 *tmp, u32 n) {  // merge sort, bottom up
  for (u32 width = 1; width < n; width *= 2) {
    for (u32 lo = 0; lo < n; lo += 2 * width) {
      u32 mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      u32 i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = before(ids[j], ids[i]) ? ids[j++] : ids[i++];
      while (i < mid) tmp[k++] = ids[i++];
      while (j < hi) tmp[k++] = ids[j++];
    }
    copy((u32)ids, (u32)tmp, n * 4);
  }
}

static int exact_count(double c) { return c >= 0 && c < 9007199254740992.0 && c == (double)(uint64_t)c; }
static int iso_range(double t) { return !(t == t) || __builtin_isinf(t) || (t >= -62167219200000.0 && t < 253402300800000.0); }

/**
 * Chooses what is printed (count >= min_failures, the `top` busiest when top > 0) and the users of
 * each; 1 when the result can be written here, 0 when JavaScript must build it (see above).
 */
EXPORT(result_prepare) int result_prepare(double min_failures, u32 top) {
  ensure_tables();
  if (nspills) return 0;
  result_matches = 0;
  u32 *kept = (u32 *)alloc(nips * 4 + 4), *tmp = (u32 *)alloc(nips * 4 + 4), nkept = 0;
  for (u32 id = 0; id < nips; id++) {
    double c = ips[id].count;
    if (!exact_count(c) || !iso_range(ips[id].first) || !iso_range(ips[id].last)) return 0;
    result_matches += c;
    if (c >= min_failures && c > 0) kept[nkept++] = id;
  }
  result_addresses = nkept;
  sort_ids(kept, tmp, nkept);
  chosen = kept;
  nchosen = top > 0 && top < nkept ? top : nkept;
  next_chosen = 0;
  // Users: the pairs of the chosen addresses bucketed by address (a counting sort over the runs
  // of pairs in range order), then each bucket without repeats (one stamp per user).
  int32_t *slot = (int32_t *)tmp;
  for (u32 id = 0; id < nips; id++) slot[id] = -1;
  for (u32 k = 0; k < nchosen; k++) slot[chosen[k]] = (int32_t)k;
  u32 *order = (u32 *)alloc(nmarks * 4 + 4);  // marks by range (stable)
  for (u32 m = 0; m < nmarks; m++) {
    u32 j = m;
    for (; j > 0 && marks[order[j - 1]].range > marks[m].range; j--) order[j] = order[j - 1];
    order[j] = m;
  }
  u32 *start = (u32 *)alloc(nchosen * 4 + 8);
  zero((u32)start, nchosen * 4 + 8);
  for (u32 k = 0; k < npairs; k++) {
    int32_t s = slot[((u32 *)pair_blocks[k / PAIRS_PER_BLOCK])[2 * (k % PAIRS_PER_BLOCK)]];
    if (s >= 0) start[s + 1]++;
  }
  for (u32 s = 0; s < nchosen; s++) start[s + 1] += start[s];
  u32 *bucket = (u32 *)alloc(start[nchosen] * 4 + 4), *fill = (u32 *)alloc(nchosen * 4 + 4);
  copy((u32)fill, (u32)start, nchosen * 4);
  for (u32 r = 0; r < nmarks; r++) {
    u32 m = order[r], to = m + 1 < nmarks ? marks[m + 1].start : npairs;
    for (u32 k = marks[m].start; k < to; k++) {
      const u32 *p = (const u32 *)pair_blocks[k / PAIRS_PER_BLOCK] + 2 * (k % PAIRS_PER_BLOCK);
      int32_t s = slot[p[0]];
      if (s >= 0) bucket[fill[s]++] = p[1];
    }
  }
  int32_t *stamp = (int32_t *)alloc(nusers * 4 + 4);
  for (u32 u = 0; u < nusers; u++) stamp[u] = -1;
  u32 n = 0;  // each bucket compacted in place (it never writes past what it has read)
  for (u32 s = 0; s < nchosen; s++) {
    fill[s] = n;
    u32 listed = 0;
    for (u32 k = start[s]; k < start[s + 1] && listed < cfg.max_users; k++) {
      u32 u = bucket[k];
      if (stamp[u] == (int32_t)s) continue;
      stamp[u] = (int32_t)s;
      bucket[n++] = u;
      listed++;
    }
  }
  copy((u32)start, (u32)fill, nchosen * 4);
  start[nchosen] = n;
  user_start = start;
  user_list = bucket;
  return 1;
}

// ---- writing ----

static u32 out;  // next byte

static void put(u8 c) { *(u8 *)out++ = c; }
static void puts_(const char *s) { while (*s) put((u8)*s++); }
static void put_hex4(u32 v) {
  static const char digits[] = "0123456789abcdef";
  puts_("\\u");
  for (int s = 12; s >= 0; s -= 4) put((u8)digits[(v >> s) & 15]);
}
static void put_uint(uint64_t v) {
  u8 d[20];
  u32 n = 0;
  do { d[n++] = (u8)('0' + v % 10); v /= 10; } while (v);
  while (n) put(d[--n]);
}

// The escapes of JSON.stringify then jsonSafe for the code point c (< 0x80 or one jsonSafe escapes), 1 when written.
static int put_escape(u32 c) {
  if (c == '"') { puts_("\\\""); return 1; }
  if (c == '\\') { puts_("\\\\"); return 1; }
  if (c < 0x20) {
    if (c == '\b') puts_("\\b");
    else if (c == '\t') puts_("\\t");
    else if (c == '\n') puts_("\\n");
    else if (c == '\f') puts_("\\f");
    else if (c == '\r') puts_("\\r");
    else put_hex4(c);
    return 1;
  }
  if ((c >= 0x7f && c <= 0x9f) || c == 0x61c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
    put_hex4(c);
    return 1;
  }
  return 0;
}

// Length of the well-formed UTF-8 sequence at p (before end), else 0 (decode-bytes.ts: validSequence).
static u32 utf8_sequence(u32 p, u32 end, u32 *code) {
  u32 c = B(p);
  if (c < 0x80) { *code = c; return 1; }
#define CONT(k, lo, hi) (p + (k) < end && B(p + (k)) >= (lo) && B(p + (k)) <= (hi))
  u32 n = 0;
  if (c >= 0xc2 && c <= 0xdf) n = CONT(1, 0x80, 0xbf) ? 2 : 0;
  else if (c == 0xe0) n = CONT(1, 0xa0, 0xbf) && CONT(2, 0x80, 0xbf) ? 3 : 0;
  else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) n = CONT(1, 0x80, 0xbf) && CONT(2, 0x80, 0xbf) ? 3 : 0;
  else if (c == 0xed) n = CONT(1, 0x80, 0x9f) && CONT(2, 0x80, 0xbf) ? 3 : 0;
  else if (c == 0xf0) n = CONT(1, 0x90, 0xbf) && CONT(2, 0x80, 0xbf) && CONT(3, 0x80, 0xbf) ? 4 : 0;
  else if (c >= 0xf1 && c <= 0xf3) n = CONT(1, 0x80, 0xbf) && CONT(2, 0x80, 0xbf) && CONT(3, 0x80, 0xbf) ? 4 : 0;
  else if (c == 0xf4) n = CONT(1, 0x80, 0x8f) && CONT(2, 0x80, 0xbf) && CONT(3, 0x80, 0xbf) ? 4 : 0;
#undef CONT
  if (n == 2) *code = (c & 0x1f) << 6 | (B(p + 1) & 0x3f);
  else if (n == 3) *code = (c & 0x0f) << 12 | (B(p + 1) & 0x3f) << 6 | (B(p + 2) & 0x3f);
  else if (n == 4) *code = 0x10000;  // (no escape applies past the BMP)
  return n;
}

// A user name: UTF-8 as decodeBytes reads it.
static void put_user(u32 p, u32 n) {
  put('"');
  for (u32 i = 0, end = p + n; p + i < end;) {
    u32 c, k = utf8_sequence(p + i, end, &c);
    if (k == 0) { put_hex4(0xdc00 + B(p + i)); i++; continue; }
    if (!put_escape(c)) for (u32 j = 0; j < k; j++) put(B(p + i + j));
    i += k;
  }
  put('"');
}

// An address: latin1 text (readTables reads addresses so), written as UTF-8.
static void put_latin1(u32 p, u32 n) {
  put('"');
  for (u32 i = 0; i < n; i++) {
    u32 c = B(p + i);
    if (put_escape(c)) continue;
    if (c < 0x80) put((u8)c);
    else { put((u8)(0xc0 | c >> 6)); put((u8)(0x80 | (c & 0x3f))); }
  }
  put('"');
}

static void put_digits(u32 v, u32 width) {
  u8 d[8];
  for (u32 k = 0; k < width; k++) { d[width - 1 - k] = (u8)('0' + v % 10); v /= 10; }
  for (u32 k = 0; k < width; k++) put(d[k]);
}

// Date.prototype.toISOString of epoch ms t (in range: see iso_range), or null.
static void put_time(double t) {
  if (!(t == t) || __builtin_isinf(t)) { puts_("null"); return; }
  int64_t ms = (int64_t)t;  // TimeClip: toward zero
  int64_t days = ms / 86400000, rest = ms % 86400000;
  if (rest < 0) { rest += 86400000; days--; }
  // civil_from_days (H. Hinnant)
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y++;
  put('"');
  put_digits((u32)y, 4); put('-'); put_digits((u32)m, 2); put('-'); put_digits((u32)d, 2); put('T');
  put_digits((u32)(rest / 3600000), 2); put(':'); put_digits((u32)(rest / 60000 % 60), 2); put(':');
  put_digits((u32)(rest / 1000 % 60), 2); put('.'); put_digits((u32)(rest % 1000), 3); put('Z');
  put('"');
}

// Most bytes record k can take.
static u32 record_bound(u32 k) {
  u32 id = chosen[k], n = 320 + ips[id].len * 6 + KINDS * 64;
  for (u32 j = user_start[k]; j < user_start[k + 1]; j++) n += users[user_list[j]].len * 6 + 3;
  return n;
}

static void put_record(u32 k) {
  const struct Ip *e = &ips[chosen[k]];
  if (k) put(',');
  puts_("\n    {\"ip\":");
  put_latin1(e->key, e->len);
  puts_(",\"count\":");
  put_uint((uint64_t)e->count);
  puts_(",\"users\":[");
  for (u32 j = user_start[k]; j < user_start[k + 1]; j++) {
    if (j > user_start[k]) put(',');
    put_user(users[user_list[j]].key, users[user_list[j]].len);
  }
  puts_("],\"firstSeen\":");
  put_time(e->first);
  puts_(",\"lastSeen\":");
  put_time(e->last);
  puts_(",\"kinds\":{");
  // By count (most first), then name: insertion sort of at most KINDS.
  u32 seen[KINDS], n = 0;
  for (u32 kind = 0; kind < KINDS; kind++) {
    if (!e->kinds[kind]) continue;
    u32 j = n++;
    for (; j > 0; j--) {
      u32 o = seen[j - 1];
      int after = e->kinds[o] < e->kinds[kind];
      if (e->kinds[o] == e->kinds[kind]) {
        u32 la = kind_name_len[o], lb = kind_name_len[kind], m = la < lb ? la : lb, i = 0;
        while (i < m && kind_names[o][i] == kind_names[kind][i]) i++;
        after = i < m ? kind_names[o][i] > kind_names[kind][i] : la > lb;
      }
      if (!after) break;
      seen[j] = o;
    }
    seen[j] = kind;
  }
  for (u32 j = 0; j < n; j++) {
    if (j) put(',');
    put('"');
    for (u32 i = 0; i < kind_name_len[seen[j]]; i++) put(kind_names[seen[j]][i]);
    puts_("\":");
    put_uint(e->kinds[seen[j]]);
  }
  puts_("}}");
}

/**
 * The next records of the "ips" array (after result_prepare), each `,\n    {...}` (no comma
 * before the first), at most about `bytes` of them at result_out(): their length, 0 when all
 * were written.
 */
EXPORT(result_write) u32 result_write(u32 bytes) {
  if (next_chosen >= nchosen) return 0;
  u32 need = record_bound(next_chosen);
  if (need < bytes) need = bytes;
  if (need > out_cap) { out_at = alloc(need); out_cap = need; }
  out = out_at;
  while (next_chosen < nchosen && out - out_at + record_bound(next_chosen) <= out_cap) put_record(next_chosen++);
  return out - out_at;
}

/** Where result_write wrote. */
EXPORT(result_out) u32 result_out(void) { return out_at; }

/** Records chosen by result_prepare. */
EXPORT(result_count) u32 result_count(void) { return nchosen; }
