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

// Each kind's `"name":` (64 bytes a slot, copied whole), and by slot (see kind_slot) the order
// key of its count: kind_order[slot] = (31 - the rank of the name) << 5 | kind.
static u8 kind_text[KINDS][64];
static u32 kind_order[KINDS];

static void order_kinds(void) {
  for (u32 k = 0; k < KINDS; k++) {
    u32 rank = 0;
    for (u32 j = 0; j < KINDS; j++) {
      u32 la = kind_name_len[j], lb = kind_name_len[k], m = la < lb ? la : lb, i = 0;
      while (i < m && kind_names[j][i] == kind_names[k][i]) i++;
      rank += i < m ? kind_names[j][i] < kind_names[k][i] : la < lb;
    }
    kind_order[kind_slot[k]] = (31 - rank) << 5 | k;
    u8 *o = kind_text[k];
    *o++ = '"';
    copy((u32)o, (u32)kind_names[k], kind_name_len[k]);
    o[kind_name_len[k]] = '"';
    o[kind_name_len[k] + 1] = ':';
  }
}

static u32 *chosen;      // address ids in output order
static u32 nchosen, next_chosen;
static u32 *user_start;  // users of chosen[k]: user_list[user_start[k] .. user_start[k + 1])
static u32 *user_list;
static double result_matches, result_addresses;
// The two areas records are written in, taken in turns by the caller (one can be in a write
// while the next records are made in the other); result_prepare gives them its sorting arrays
// (memory touched already: see spare), they grow when a record needs it.
static u32 area_at[2], area_cap[2], written_at;

EXPORT(result_matches) double get_result_matches(void) { return result_matches; }
EXPORT(result_addresses) double get_result_addresses(void) { return result_addresses; }

// What addresses are sorted by, compact (no entry read while sorting): the count, and the first
// eight bytes of the address as a big-endian number (zero past its end).
struct Order { double count; uint64_t head; u32 id; u32 pad; };

// a before b in the output: more failures first, then the address text in code-unit order.
static int before(const struct Order *a, const struct Order *b) {
  if (a->count != b->count) return a->count > b->count;
  if (a->head != b->head) return a->head < b->head;
  const struct Ip *x = &ips[a->id], *y = &ips[b->id];
  u32 n = x->len < y->len ? x->len : y->len;
  for (u32 i = 0; i < n; i++) {
    u8 p = B(x->key + i), q = B(y->key + i);
    if (p != q) return p < q;
  }
  return x->len < y->len;
}

// The loops of result_prepare are calls of a bounded piece each (see NOINLINE in scanner.c).
#define RUN 16

// v[lo, hi) sorted in place (insertion sort: a run of at most RUN).
static NOINLINE void sort_run(struct Order *v, u32 lo, u32 hi) {
  for (u32 i = lo + 1; i < hi; i++) {
    struct Order x = v[i];
    u32 j = i;
    for (; j > lo && before(&x, &v[j - 1]); j--) v[j] = v[j - 1];
    v[j] = x;
  }
}

// The sorted runs v[lo, mid) and v[mid, hi) merged into to[lo, hi).
static NOINLINE void merge_runs(const struct Order *v, struct Order *to, u32 lo, u32 mid, u32 hi) {
  u32 i = lo, j = mid, k = lo;
  while (i < mid && j < hi) to[k++] = before(&v[j], &v[i]) ? v[j++] : v[i++];
  while (i < mid) to[k++] = v[i++];
  while (j < hi) to[k++] = v[j++];
}

// v sorted (merge sort, bottom up, from runs of RUN, between v and tmp): returns where it is.
static struct Order *sort_orders(struct Order *v, struct Order *tmp, u32 n) {
  for (u32 lo = 0; lo < n; lo += RUN) sort_run(v, lo, lo + RUN < n ? lo + RUN : n);
  for (u32 width = RUN; width < n; width *= 2) {
    for (u32 lo = 0; lo < n; lo += 2 * width) {
      u32 mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
      merge_runs(v, tmp, lo, mid, hi);
    }
    struct Order *t = v; v = tmp; tmp = t;
  }
  return v;
}

static int exact_count(double c) { return c >= 0 && c < 9007199254740992.0 && c == (double)(uint64_t)c; }
static int iso_range(double t) { return !(t == t) || __builtin_isinf(t) || (t >= -62167219200000.0 && t < 253402300800000.0); }

// The addresses [from, to) with at least min_failures failures appended to kept (from nkept on):
// the new count, or -1 when one cannot be written exactly (see above). Adds up result_matches.
static NOINLINE int32_t keep_addresses(u32 from, u32 to, double min_failures, struct Order *kept, u32 nkept) {
  for (u32 id = from; id < to; id++) {
    const struct Ip *e = &ips[id];
    double c = e->count;
    if (!exact_count(c) || !iso_range(e->first) || !iso_range(e->last)) return -1;
    result_matches += c;
    if (c >= min_failures && c > 0) kept[nkept++] = (struct Order){ c, __builtin_bswap64(head_of(e->key, e->len)), id, 0 };
  }
  return (int32_t)nkept;
}

// How many of the n pairs at p each chosen address has (added at count[its slot + 1]).
static NOINLINE void count_pairs(const u32 *p, u32 n, const int32_t *slot, u32 *count) {
  for (u32 k = 0; k < n; k++) {
    int32_t s = slot[p[2 * k]];
    if (s >= 0) count[s + 1]++;
  }
}

// The users of n pairs at p put in their addresses' buckets (at fill[slot], moved on).
static NOINLINE void bucket_pairs(const u32 *p, u32 n, const int32_t *slot, u32 *fill, u32 *bucket) {
  for (u32 k = 0; k < n; k++) {
    int32_t s = slot[p[2 * k]];
    if (s >= 0) bucket[fill[s]++] = p[2 * k + 1];
  }
}

// The buckets of chosen[from, to) without repeats, at most cfg.max_users each, moved down to n
// on (a bucket never writes past what it has read): fill[s] = where bucket s starts now; returns
// the new n.
static NOINLINE u32 list_users(u32 from, u32 to, const u32 *start, u32 *fill, u32 *bucket, int32_t *stamp, u32 n) {
  for (u32 s = from; s < to; s++) {
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
  return n;
}

#define PIECE 4096u

/**
 * Chooses what is printed (count >= min_failures, the `top` busiest when top > 0) and the users of
 * each; 1 when the result can be written here, 0 when JavaScript must build it (see above).
 */
EXPORT(result_prepare) int result_prepare(double min_failures, u32 top) {
  ensure_tables();
  if (nspills) return 0;
  if (!kind_order[0]) order_kinds();
  spare_next = spare_at;  // (what an earlier call took, and its output areas, are free again)
  result_matches = 0;
  u32 kept_bytes = nips * sizeof(struct Order) + 8;
  struct Order *kept = (struct Order *)spare(kept_bytes);
  u32 nkept = 0;
  for (u32 id = 0; id < nips; id += PIECE) {
    int32_t n = keep_addresses(id, id + PIECE < nips ? id + PIECE : nips, min_failures, kept, nkept);
    if (n < 0) return 0;
    nkept = (u32)n;
  }
  result_addresses = nkept;
  u32 tmp_bytes = nkept * sizeof(struct Order) + 8;
  struct Order *tmp = (struct Order *)spare(tmp_bytes), *sorted = sort_orders(kept, tmp, nkept);
  nchosen = top > 0 && top < nkept ? top : nkept;
  chosen = (u32 *)spare(nchosen * 4 + 4);
  for (u32 k = 0; k < nchosen; k++) chosen[k] = sorted[k].id;
  area_at[0] = (u32)kept; area_cap[0] = kept_bytes;
  area_at[1] = (u32)tmp; area_cap[1] = tmp_bytes;
  next_chosen = 0;
  // Users: the pairs of the chosen addresses bucketed by address (a counting sort over the runs
  // of pairs in range order), then each bucket without repeats (one stamp per user).
  int32_t *slot = (int32_t *)spare(nips * 4 + 4);
  for (u32 id = 0; id < nips; id++) slot[id] = -1;
  for (u32 k = 0; k < nchosen; k++) slot[chosen[k]] = (int32_t)k;
  u32 *order = (u32 *)spare(nmarks * 4 + 4);  // marks by range (stable)
  for (u32 m = 0; m < nmarks; m++) {
    u32 j = m;
    for (; j > 0 && marks[order[j - 1]].range > marks[m].range; j--) order[j] = order[j - 1];
    order[j] = m;
  }
  u32 *start = (u32 *)spare(nchosen * 4 + 8);
  zero((u32)start, nchosen * 4 + 8);
  for (u32 k = 0; k < npairs; k += PAIRS_PER_BLOCK)
    count_pairs((const u32 *)pair_blocks[k / PAIRS_PER_BLOCK], npairs - k < PAIRS_PER_BLOCK ? npairs - k : PAIRS_PER_BLOCK, slot, start);
  for (u32 s = 0; s < nchosen; s++) start[s + 1] += start[s];
  u32 *bucket = (u32 *)spare(start[nchosen] * 4 + 4), *fill = (u32 *)spare(nchosen * 4 + 4);
  copy((u32)fill, (u32)start, nchosen * 4);
  for (u32 r = 0; r < nmarks; r++) {  // each run of pairs, a block's part at a time
    u32 m = order[r], to = m + 1 < nmarks ? marks[m + 1].start : npairs;
    for (u32 k = marks[m].start, n; k < to; k += n) {
      u32 in = k % PAIRS_PER_BLOCK;
      n = PAIRS_PER_BLOCK - in < to - k ? PAIRS_PER_BLOCK - in : to - k;
      bucket_pairs((const u32 *)pair_blocks[k / PAIRS_PER_BLOCK] + 2 * in, n, slot, fill, bucket);
    }
  }
  int32_t *stamp = (int32_t *)spare(nusers * 4 + 4);
  for (u32 u = 0; u < nusers; u++) stamp[u] = -1;
  u32 n = 0;
  for (u32 s = 0; s < nchosen; s += PIECE) n = list_users(s, s + PIECE < nchosen ? s + PIECE : nchosen, start, fill, bucket, stamp, n);
  copy((u32)start, (u32)fill, nchosen * 4);
  start[nchosen] = n;
  user_start = start;
  user_list = bucket;
  return 1;
}

// ---- writing ----
// Each writer takes the next byte's address and returns the one after what it wrote (a local
// cursor: bytes stored through a global one would make the compiler reload it after each store).
// Names and addresses are read and copied 16 bytes at a time: memory past a key is readable (see
// alloc), and the area written has room past what a record may take (see TAIL).

#define PUT(o, lit) (__builtin_memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

static u8 *put_str(u8 *o, const char *s) { while (*s) *o++ = (u8)*s++; return o; }

static u8 *put_hex4(u8 *o, u32 v) {
  static const char digits[] = "0123456789abcdef";
  *o++ = '\\'; *o++ = 'u';
  for (int s = 12; s >= 0; s -= 4) *o++ = (u8)digits[(v >> s) & 15];
  return o;
}

static u8 *put_u32(u8 *o, u32 v) {
  u8 d[10];
  u32 n = 0;
  do { d[n++] = (u8)('0' + v % 10); v /= 10; } while (v);
  while (n) *o++ = d[--n];
  return o;
}

static u8 *put_uint(u8 *o, uint64_t v) {
  if (v <= 0xffffffffu) return put_u32(o, (u32)v);
  u8 d[20];
  u32 n = 0;
  do { d[n++] = (u8)('0' + v % 10); v /= 10; } while (v);
  while (n) *o++ = d[--n];
  return o;
}

// Code points JSON.stringify or jsonSafe escape (besides '"' and '\\').
static int escaped(u32 c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x61c || c == 0x200e || c == 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

// The escape of JSON.stringify, then jsonSafe, for c ('"', '\\' or escaped(c)).
static u8 *put_escape(u8 *o, u32 c) {
  if (c == '"' || c == '\\') { *o++ = '\\'; *o++ = (u8)c; return o; }
  if (c == '\b') return put_str(o, "\\b");
  if (c == '\t') return put_str(o, "\\t");
  if (c == '\n') return put_str(o, "\\n");
  if (c == '\f') return put_str(o, "\\f");
  if (c == '\r') return put_str(o, "\\r");
  return put_hex4(o, c);
}

// A byte written as it is in a JSON string: printable ASCII but '"' and '\\'.
static int plain(u32 c) { return c - 0x20u < 0x5fu && c != '"' && c != '\\'; }

// The n bytes at p copied to o when they are all plain (1), else 0 (o holds some of them).
static int copy_plain(u8 *o, u32 p, u32 n) {
  for (u32 i = 0; i < n; i += 16) {
    v128_t v = wasm_v128_load((const void *)(p + i));
    v128_t other = wasm_v128_or(wasm_u8x16_lt(v, wasm_i8x16_splat(0x20)), wasm_u8x16_gt(v, wasm_i8x16_splat(0x7e)));
    other = wasm_v128_or(other, wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('"')), wasm_i8x16_eq(v, wasm_i8x16_splat('\\'))));
    u32 m = (u32)wasm_i8x16_bitmask(other);
    if (n - i < 16) m &= (1u << (n - i)) - 1;
    if (m) return 0;
    wasm_v128_store(o + i, v);
  }
  return 1;
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
static u8 *put_user(u8 *o, u32 p, u32 n) {
  *o++ = '"';
  if (copy_plain(o, p, n)) return o[n] = '"', o + n + 1;
  for (u32 end = p + n; p < end;) {
    u32 c = B(p);
    if (plain(c)) { *o++ = (u8)c; p++; continue; }
    u32 k = utf8_sequence(p, end, &c);
    if (k == 0) { o = put_hex4(o, 0xdc00 + B(p)); p++; continue; }
    if (c == '"' || c == '\\' || escaped(c)) o = put_escape(o, c);
    else for (u32 j = 0; j < k; j++) *o++ = B(p + j);
    p += k;
  }
  *o++ = '"';
  return o;
}

// An address: latin1 text (readTables reads addresses so), written as UTF-8.
static u8 *put_latin1(u8 *o, u32 p, u32 n) {
  *o++ = '"';
  if (copy_plain(o, p, n)) return o[n] = '"', o + n + 1;
  for (u32 i = 0; i < n; i++) {
    u32 c = B(p + i);
    if (plain(c)) *o++ = (u8)c;
    else if (c == '"' || c == '\\' || escaped(c)) o = put_escape(o, c);
    else { *o++ = (u8)(0xc0 | c >> 6); *o++ = (u8)(0x80 | (c & 0x3f)); }
  }
  *o++ = '"';
  return o;
}

static u8 *put_digits(u8 *o, u32 v, u32 width) {
  for (u32 k = width; k > 0; k--) { o[k - 1] = (u8)('0' + v % 10); v /= 10; }
  return o + width;
}

// The day last written by put_time, as `"YYYY-MM-DDT` (times of one day come in runs).
static double time_day = -1e300;
static u8 time_date[16];

// Date.prototype.toISOString of epoch ms t (in range: see iso_range), or null.
static u8 *put_time(u8 *o, double t) {
  if (!(t == t) || __builtin_isinf(t)) return PUT(o, "null");
  double ms = __builtin_trunc(t);  // TimeClip: toward zero
  double day = __builtin_floor(ms / 86400000.0);  // (exact: |ms| < 2^53, and a day's 8.64e7 ms are far apart at this size)
  u32 rest = (u32)(ms - day * 86400000.0);
  if (day != time_day) {
    // civil_from_days (H. Hinnant), in 32 bits: the days of years 0 to 9999 fit.
    int32_t z = (int32_t)day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int32_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) y++;
    u8 *p = time_date;
    *p++ = '"';
    p = put_digits(p, (u32)y, 4); *p++ = '-'; p = put_digits(p, (u32)m, 2); *p++ = '-'; p = put_digits(p, (u32)d, 2); *p++ = 'T';
    time_day = day;
  }
  wasm_v128_store(o, wasm_v128_load(time_date));
  o += 12;
  o = put_digits(o, rest / 3600000, 2); *o++ = ':'; o = put_digits(o, rest / 60000 % 60, 2); *o++ = ':';
  o = put_digits(o, rest / 1000 % 60, 2); *o++ = '.'; o = put_digits(o, rest % 1000, 3);
  return PUT(o, "Z\"");
}

// Room a record needs past its users and their bytes: its other fields, and what the 16-byte
// copies may write past the end.
#define TAIL (256 + KINDS * 80)

// Most bytes record k can take, TAIL included.
static u32 record_bound(u32 k) {
  u32 n = TAIL + 64 + ips[chosen[k]].len * 6;
  for (u32 j = user_start[k]; j < user_start[k + 1]; j++) n += users[user_list[j]].len * 6 + 3;
  return n;
}

// Record k at o, or 0 when it may not fit before end. (A call per record: see NOINLINE.)
static NOINLINE u8 *put_record(u8 *o, const u8 *end, u32 k) {
  const struct Ip *e = &ips[chosen[k]];
  if ((u32)(end - o) < TAIL + 64 + e->len * 6) return 0;
  if (k) *o++ = ',';
  o = PUT(o, "\n    {\"ip\":");
  o = put_latin1(o, e->key, e->len);
  o = PUT(o, ",\"count\":");
  o = put_uint(o, (uint64_t)e->count);
  o = PUT(o, ",\"users\":[");
  for (u32 j = user_start[k]; j < user_start[k + 1]; j++) {
    const struct User *u = &users[user_list[j]];
    if ((u32)(end - o) < TAIL + u->len * 6 + 3) return 0;
    o = put_user(o, u->key, u->len);
    *o++ = ',';
  }
  if (user_start[k + 1] > user_start[k]) o--;
  o = PUT(o, "],\"firstSeen\":");
  o = put_time(o, e->first);
  o = PUT(o, ",\"lastSeen\":");
  o = put_time(o, e->last);
  o = PUT(o, ",\"kinds\":{");
  // By count (most first), then name: the order keys of the kinds counted, insertion-sorted.
  uint64_t seen[KINDS];
  u32 n = 0;
  for (u32 slot = 0; slot < KINDS; slot++) {
    u32 c = slot_get(e, slot);
    if (!c) continue;
    uint64_t key = (uint64_t)c << 10 | kind_order[slot];
    u32 j = n++;
    for (; j > 0 && seen[j - 1] < key; j--) seen[j] = seen[j - 1];
    seen[j] = key;
  }
  for (u32 j = 0; j < n; j++) {
    u32 kind = (u32)seen[j] & 31;
    const u8 *text = kind_text[kind];
    wasm_v128_store(o, wasm_v128_load(text));
    wasm_v128_store(o + 16, wasm_v128_load(text + 16));
    wasm_v128_store(o + 32, wasm_v128_load(text + 32));
    wasm_v128_store(o + 48, wasm_v128_load(text + 48));
    o += kind_name_len[kind] + 3;
    o = put_u32(o, (u32)(seen[j] >> 10));
    *o++ = ',';
  }
  if (n) o--;
  return PUT(o, "}}");
}

#define WAIT 0xffffffffu

// What records k + 1 and k + 2 read, read before record k is written (their cache misses overlap
// each other and the work on k, instead of coming one after the other as a record is written):
// the entry of k + 2, the address and the users' entries and names of k + 1. Returns a sum of
// what it read, kept (ahead_sink) so that the reads are made. (About a fifth off result_write.)
static u32 read_ahead(u32 k) {
  u32 sum = 0;
  if (k + 2 < nchosen) { const struct Ip *e = &ips[chosen[k + 2]]; sum += (u32)e->count + e->len; }
  if (k + 1 < nchosen) {
    const struct Ip *e = &ips[chosen[k + 1]];
    sum += B(e->key);
    for (u32 j = user_start[k + 1]; j < user_start[k + 2]; j++) { const struct User *u = &users[user_list[j]]; sum += B(u->key); }
  }
  return sum;
}
static u32 ahead_sink;

// Area `area` made at least n bytes when it is smaller and may grow: 0 when it is smaller and
// may not (the memory may grow, and move).
static int area_room(u32 area, u32 n, u32 may_grow) {
  if (area_cap[area] >= n) return 1;
  if (!may_grow) return 0;
  area_at[area] = spare(n);
  area_cap[area] = n;
  return 1;
}

/**
 * The next records of the "ips" array (after result_prepare), each `,\n    {...}` (no comma
 * before the first), about `bytes` of them (more for one record larger than that) in area
 * `area` (0 or 1), at result_out(): their length, 0 when all were written. WAIT (2^32 - 1) when
 * the area must grow and `may_grow` is 0: the memory may grow, and move (call again with 1 once
 * no view of it is in use).
 */
EXPORT(result_write) u32 result_write(u32 bytes, u32 area, u32 may_grow) {
  if (next_chosen >= nchosen) return 0;
  area &= 1;
  if (bytes < TAIL * 4) bytes = TAIL * 4;
  if (!area_room(area, bytes, may_grow)) return WAIT;
  u8 *at = (u8 *)area_at[area], *o = at;
  u32 sink = 0;
  for (u8 *next; next_chosen < nchosen; next_chosen++) {
    sink += read_ahead(next_chosen);
    if (!(next = put_record(o, at + bytes, next_chosen))) break;
    o = next;
  }
  ahead_sink += sink;
  if (o == at) {  // a record larger than `bytes`: the area as large as it may be
    if (!area_room(area, record_bound(next_chosen), may_grow)) return WAIT;
    at = (u8 *)area_at[area];
    o = put_record(at, at + area_cap[area], next_chosen++);
  }
  written_at = (u32)at;
  return (u32)(o - at);
}

/** Where result_write wrote last. */
EXPORT(result_out) u32 result_out(void) { return written_at; }

/** Records chosen by result_prepare. */
EXPORT(result_count) u32 result_count(void) { return nchosen; }
