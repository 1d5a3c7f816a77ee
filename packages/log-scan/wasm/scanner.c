// The byte scanner of scan(): one SIMD pass over a chunk counts newlines and finds candidate
// lines (Teddy: nibble tables over 3-byte fingerprints of the matcher anchors); the most common
// failure lines (classic syslog or RFC 3339 prefix with an offset; sshd "Failed password",
// "Failed publickey", "Failed keyboard-interactive[/pam]", "Failed none", "Invalid user", preauth
// disconnects by an authenticating/invalid user, the MaxAuthTries messages; pam_unix auth
// failures; any of them inside "message repeated N times: [ ... ]") are read straight from the
// bytes and counted per address here, without a JavaScript call. Every other candidate line
// goes to JavaScript (`slow_line`), which runs the matchers and adds the result with `add`, so the
// tables see every failure in line order (users keep their first-seen order). The address of each
// sshd line read is remembered by host and pid (a bounded session table) for the lines that name
// none (JavaScript reads those and asks with session_recall); set_kinds says which kinds count.
//
// The fast path answers only for the strict shapes it knows, and then gives the answer
// matchLineRaw gives (the tests compare both on a table of lines and on fuzzed lines). It is
// compiled by scripts/build-wasm.mjs (clang --target=wasm32 -msimd128) into scanner-wasm.ts.
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;

#define EXPORT(name) __attribute__((export_name(#name)))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

// Epoch ms of the classic stamp `Mmm dd hh:mm:ss` at p (15 printable ASCII bytes), NaN when none.
IMPORT(stamp_ms) double stamp_ms(u32 p);
// Epoch ms of the local hour (month 0-11, day, hour) in the reference time's year minus years_back.
IMPORT(hour_ms) double hour_ms(u32 month, u32 day, u32 hour, u32 years_back);
// A candidate line [start, end) the fast path cannot decide: JavaScript matches it (and calls add).
IMPORT(slow_line) void slow_line(u32 start, u32 end);
// The tables cannot grow by `bytes` (past the heap limit, or the memory's 4 GiB): JavaScript throws.
IMPORT(out_of_memory) void out_of_memory(u32 bytes);
// The next bytes [at, at + n) of the block export_write makes: JavaScript copies them out.
IMPORT(export_out) void export_out(u32 at, u32 n);

// ---- memory: a bump allocator (an instance lives for one scan; nothing is freed) ----

extern u8 __heap_base;
static u32 heap_top;
static u32 heap_limit = 0xffffffffu;

/** The most bytes of memory the allocations may reach (tests, and hosts that bound memory). */
EXPORT(set_heap_limit) void set_heap_limit(u32 bytes) { heap_limit = bytes; }

static u32 alloc(u32 n) {
  if (heap_top == 0) heap_top = ((u32)&__heap_base + 15) & ~15u;
  u32 p = heap_top;
  u32 end = p + ((n + 15) & ~15u);
  // 64 bytes to spare past the last allocation: word and SIMD reads may run past what they compare.
  if (end < p || end > heap_limit - 64) { out_of_memory(n); __builtin_trap(); }
  u32 need = end + 64;
  u32 have_pages = (u32)__builtin_wasm_memory_size(0), have = have_pages * 65536u;
  if (need > have) {
    // By an eighth of the memory at least (16 MiB at least, within the heap limit): each grow of a
    // WebAssembly memory costs the engine a new buffer and counts as external memory for its
    // garbage collector (a collection every few grows); pages not written cost nothing.
    u32 pages = (need - have + 65535) / 65536, more = have_pages / 8 > 256 ? have_pages / 8 : 256;
    u32 room = heap_limit / 65536 > have_pages ? heap_limit / 65536 - have_pages : 0;
    if (more > room) more = room;
    if (more < pages || __builtin_wasm_memory_grow(0, more) == (__SIZE_TYPE__)-1)
      if (__builtin_wasm_memory_grow(0, pages) == (__SIZE_TYPE__)-1) { out_of_memory(n); __builtin_trap(); }
  }
  heap_top = end;
  return p;
}

// Memory left behind by a table that grew is cut into blocks of BLOCK bytes, reused for the
// (address, user) pairs (see add_pair): growing by doubling then costs no more than the tables.
#define BLOCK (1u << 16)
static u32 free_block;  // a list through the blocks' first word, 0 ends it

static void release(u32 p, u32 n) {
  for (u32 q = (p + 15) & ~15u; q + BLOCK <= p + n; q += BLOCK) {
    *(u32 *)q = free_block;
    free_block = q;
  }
}

static u32 take_block(void) {
  if (!free_block) return alloc(BLOCK);
  u32 q = free_block;
  free_block = *(u32 *)q;
  return q;
}

static void copy(u32 to, u32 from, u32 n) { __builtin_memcpy((void *)to, (const void *)from, n); }
static void zero(u32 to, u32 n) { __builtin_memset((void *)to, 0, n); }

// Byte at an address of linear memory (an integer cast, not arithmetic on a null pointer).
#define B(i) (*(const u8 *)(uintptr_t)(i))

// ---- configuration, written by JavaScript before the first scan ----

struct Config {
  u8 tables[96];    // Teddy nibble tables: lo/hi for fingerprint bytes 0, 1, 2
  u32 ncodes;       // exact fingerprints (3 bytes as a 24-bit number)
  u32 codes[64];
  double since;     // failures kept: since <= t < until (-inf / +inf when unbounded)
  double until;
  u32 max_users;    // distinct users kept per address
  u32 scratch;      // see scratch()
  u32 max_line;     // candidate lines longer than this are skipped (counted in skipped)
  double reference; // epoch ms classic stamps (no year) are read against
  uint64_t kinds;   // bit k: failures of kind k are counted (set_kinds)
};
static struct Config cfg;

/** Where JavaScript writes the 96 bytes of nibble tables. */
EXPORT(nibble_tables) u32 nibble_tables(void) { return (u32)cfg.tables; }

// The exact fingerprints by hash (open addressing, at most half full; 0 is empty: a fingerprint
// is three printable bytes), so that a candidate position is checked with one or two reads.
#define CODE_SLOTS 128
static u32 code_slots[CODE_SLOTS];

static u32 code_slot(u32 code) { return (code * 0x9e3779b1u) >> 25; }

/** The exact fingerprints: count codes (u32) at `at` (the scratch area); 0 when there are too many. */
EXPORT(set_fingerprints) int set_fingerprints(u32 at, u32 count) {
  if (count > sizeof cfg.codes / sizeof cfg.codes[0]) return 0;
  copy((u32)cfg.codes, at, count * 4);
  cfg.ncodes = count;
  zero((u32)code_slots, sizeof code_slots);
  for (u32 k = 0; k < count; k++) {
    u32 i = code_slot(cfg.codes[k]);
    while (code_slots[i] && code_slots[i] != cfg.codes[k]) i = (i + 1) & (CODE_SLOTS - 1);
    code_slots[i] = cfg.codes[k];
  }
  return 1;
}

EXPORT(configure) void configure(double since, double until, u32 max_users, u32 max_line, double reference) {
  cfg.kinds = ~0ull;
  cfg.since = since;
  cfg.until = until;
  cfg.max_users = max_users;
  cfg.max_line = max_line;
  cfg.reference = reference;
}

/** The kinds counted: bit k of (hi << 32 | lo) for kind k (MATCHERS order). All until set. */
EXPORT(set_kinds) void set_kinds(u32 lo, u32 hi) { cfg.kinds = (uint64_t)hi << 32 | lo; }

static u32 scratch_cap;

/** Room for n bytes where JavaScript writes the address and user of a slow-path failure. */
EXPORT(scratch) u32 scratch(u32 n) {
  if (n > scratch_cap || cfg.scratch == 0) {
    scratch_cap = n > 4096 ? n : 4096;
    cfg.scratch = alloc(scratch_cap);
  }
  return cfg.scratch;
}

// ---- the tables: addresses, users, (address, user) pairs, (address, kind) counts ----

// The users of an address: its first two user numbers (+ 1) in the entry itself (most addresses
// of an attack's long tail try one or two names), past that an open-addressing set of its own
// (user number + 1 per slot, at most half full), so that the check touches the address's memory
// only (a set of all pairs outgrows the caches when users are sprayed). kinds: the count of each
// kind (MATCHERS order) in the entry itself, no lookup; a count past 2^32 - 1 (or not an integer)
// goes to `spills`.
#define KINDS 26
#define HOT_KINDS 4
// The fields every counted failure updates sit in the entry's first cache line (entries are
// 64-byte aligned): count, first and last seen, the user set (small inline), the last user
// number, and the counts of the four commonest kinds (kind_slot: sshd failed password, invalid
// user, pam_unix authentication failure, preauth disconnect); the other kinds and the key after.
// last_user: the user of the address's last counted line, so that a repeat skips the user set.
// The other kinds count in 16 bits (two cache lines an entry, not three: ~3 MB less memory to
// touch a thread on the production-shaped log, each new page several microseconds on a virtual
// machine); the first that would pass 65,535 moves them all to 32-bit counts elsewhere (`wide`).
struct Ip {
  double count; double first; double last;
  u32 users; u32 last_user; u32 uset; u32 umask; u32 small[2];
  u32 hot[HOT_KINDS];
  u16 rest[KINDS - HOT_KINDS];
  u32 key; u32 len;
  u32 wide;  // 0, or the u32[KINDS - HOT_KINDS] the rest moved to
} __attribute__((aligned(64)));
// Where the count of each kind (MATCHERS order) sits in kinds.
static const u8 kind_slot[KINDS] = { 0, 4, 5, 6, 1, 7, 8, 9, 10, 3, 2, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25 };
static u32 alloc(u32 n);

static u32 slot_get(const struct Ip *e, u32 slot) {
  if (slot < HOT_KINDS) return e->hot[slot];
  return e->wide ? ((const u32 *)e->wide)[slot - HOT_KINDS] : e->rest[slot - HOT_KINDS];
}

static void slot_clear(struct Ip *e, u32 slot) {
  if (slot < HOT_KINDS) e->hot[slot] = 0;
  else if (e->wide) ((u32 *)e->wide)[slot - HOT_KINDS] = 0;
  else e->rest[slot - HOT_KINDS] = 0;
}

// Adds count to the slot when it stays exact in 32 bits (1), else 0 (the caller spills it).
static int slot_add(struct Ip *e, u32 slot, double count) {
  u32 have = slot_get(e, slot);
  if (!(count >= 0 && count <= (double)(0xffffffffu - have) && count == (double)(u32)count)) return 0;
  u32 sum = have + (u32)count;
  if (slot < HOT_KINDS) { e->hot[slot] = sum; return 1; }
  if (!e->wide && sum > 0xffffu) {
    u32 *wide = (u32 *)alloc(4 * (KINDS - HOT_KINDS));
    for (u32 k = 0; k < KINDS - HOT_KINDS; k++) wide[k] = e->rest[k];
    e->wide = (u32)wide;
  }
  if (e->wide) ((u32 *)e->wide)[slot - HOT_KINDS] = sum;
  else e->rest[slot - HOT_KINDS] = (u16)sum;
  return 1;
}

// Where the slot's count is (read ahead by the counting pipeline).
static u32 slot_address(const struct Ip *e, u32 slot) {
  if (slot < HOT_KINDS) return (u32)&e->hot[slot];
  return e->wide ? e->wide + 4 * (slot - HOT_KINDS) : (u32)&e->rest[slot - HOT_KINDS];
}
#define IP_KEY_WORD (__builtin_offsetof(struct Ip, key) / 4)
_Static_assert(__builtin_offsetof(struct Ip, hot) + 4 * HOT_KINDS <= 64, "the four commonest kinds in the first cache line");
_Static_assert(sizeof(struct Ip) == 128, "two cache lines");
// A user's bytes 8 to 16 (zero past the end) beside its key: with the first 8 in the index slot,
// names of up to 16 bytes are found without reading the key.
struct User { u32 key; u32 len; uint64_t next8; };
struct Mark { u32 range; u32 start; };  // the pairs from `start` on were first seen in range `range` (see set_range)
struct Spill { u32 ip; u32 kind; double count; };

// An open-addressing index over an array of entries whose first two words are (key address,
// length). A slot holds the entry (index + 1, 0 = empty), the key's length and its first eight
// bytes: a key of eight bytes or less is found without reading the entry or the key.
struct Slot { u32 id1; u32 len; uint64_t head; };
struct Table { struct Slot *slots; u32 mask; u32 used; };

static struct Ip *ips; static u32 nips, capips;
static struct User *users; static u32 nusers, capusers;
// The (address, user) pairs in the order first seen, two words each, in blocks (no copy as they
// grow); marks say which file range each run of them was first seen in.
#define PAIRS_PER_BLOCK (BLOCK / 8)
static u32 *pair_blocks; static u32 npair_blocks, cap_pair_blocks;
static u32 npairs;
static struct Mark *marks; static u32 nmarks, capmarks;
static struct Spill *spills; static u32 nspills, capspills;
// The file range being scanned: threads take ranges in turn, and the users of an address are put
// back in file order by (range, insertion) when their counts are merged.
static u32 current_range;
EXPORT(set_range) void set_range(u32 range) { current_range = range; }
static struct Table ip_index, user_index;
static void flush(void);
static double matches;

static uint64_t load64(u32 p) { uint64_t x; __builtin_memcpy(&x, (const void *)p, 8); return x; }

// MurmurHash3's 64-bit finalizer: every input bit reaches the low bits the tables index by
// (addresses that differ in their last character differ in the top byte of a little-endian word).
static uint64_t fmix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

static uint64_t mix(uint64_t h, uint64_t x) {
  h = (h ^ x) * 0x9e3779b97f4a7c15ull;
  return h ^ (h >> 32);
}

// Eight bytes at a time (the last word overlaps the one before), byte by byte under eight.
static u32 hash_bytes(u32 p, u32 n) {
  uint64_t h = 0x243f6a8885a308d3ull ^ n;
  if (n >= 8) {
    u32 i = 0;
    for (; i + 8 < n; i += 8) h = mix(h, load64(p + i));
    h = mix(h, load64(p + n - 8));
  } else {
    uint64_t x = 0;
    for (u32 i = 0; i < n; i++) x = x << 8 | B(p + i);
    h = mix(h, x);
  }
  return (u32)fmix(h);
}

// The first eight bytes of a key (zero past its end). Reading past the bytes stays inside linear
// memory: the input has padding, literals sit in the data segment.
static uint64_t head_of(u32 p, u32 n) { return n >= 8 ? load64(p) : n == 0 ? 0 : load64(p) & (~0ull >> (64 - 8 * n)); }

static void table_init(struct Table *t, u32 size) {
  t->slots = (struct Slot *)alloc(size * sizeof(struct Slot));
  zero((u32)t->slots, size * sizeof(struct Slot));
  t->mask = size - 1;
  t->used = 0;
}

// Grows an entry array by doubling (the old one is released into blocks). It starts on a cache line.
static void *grow(void *old, u32 count, u32 *cap, u32 size) {
  if (count < *cap) return old;
  u32 next = *cap ? *cap * 2 : 256;
  u32 p = (alloc(next * size + 48) + 63) & ~63u;
  if (old) {
    copy(p, (u32)old, count * size);
    release((u32)old, *cap * size);
  }
  *cap = next;
  return (void *)p;
}

static int same_bytes(u32 a, u32 b, u32 n) {
  if (n >= 8) {
    for (u32 i = 0; i + 8 < n; i += 8) if (load64(a + i) != load64(b + i)) return 0;
    return load64(a + n - 8) == load64(b + n - 8);
  }
  // Under eight bytes: one masked word (reading past the bytes stays inside linear memory: the
  // input has padding, literals sit in the data segment).
  if (n == 0) return 1;
  return ((load64(a) ^ load64(b)) & (~0ull >> (64 - 8 * n))) == 0;
}

// Where an entry's (key address, length) sit, in words.
static u32 key_word(const struct Table *t) { return t == &ip_index ? IP_KEY_WORD : 0; }

// Puts entry k (its key [p, p + n) written) in slot at; past half full, the index doubles and
// the entries it holds are put again.
static void table_add(struct Table *t, u32 at, u32 k, const void *entries, u32 stride) {
  const u32 kw = key_word(t), *e = (const u32 *)((u32)entries + k * stride) + kw;
  t->slots[at] = (struct Slot){ k + 1, e[1], head_of(e[0], e[1]) };
  u32 used = ++t->used;
  if (used * 2 <= t->mask) return;
  const struct Slot *old = t->slots;
  u32 old_size = t->mask + 1;
  table_init(t, old_size * 2);
  for (u32 j = 0; j < old_size; j++) {
    if (!old[j].id1) continue;
    const u32 *f = (const u32 *)((u32)entries + (old[j].id1 - 1) * stride) + kw;
    u32 i = hash_bytes(f[0], f[1]) & t->mask;
    while (t->slots[i].id1) i = (i + 1) & t->mask;
    t->slots[i] = old[j];
  }
  release((u32)old, old_size * sizeof(struct Slot));
  t->used = used;
}

static u32 keep_bytes(u32 p, u32 n) {
  u32 q = alloc(n ? n : 1);
  copy(q, p, n);
  return q;
}

// Index of the bytes [p, p + n) in a table; when absent, a new entry is appended (key copied,
// its other fields zero) and *added set.
static u32 intern(struct Table *t, void **entries, u32 *count, u32 *cap, u32 stride, u32 p, u32 n, u32 hash, int *added) {
  u32 i = hash & t->mask;
  uint64_t head = head_of(p, n);
  for (const struct Slot *s; (s = &t->slots[i])->id1 != 0; i = (i + 1) & t->mask) {
    if (s->len != n || s->head != head) continue;
    if (n <= 8) { *added = 0; return s->id1 - 1; }
    const u32 *e = (const u32 *)((u32)*entries + (s->id1 - 1) * stride) + key_word(t);
    if (t == &user_index && n <= 16 ? ((const struct User *)e)->next8 == head_of(p + 8, n - 8) : same_bytes(e[0] + 8, p + 8, n - 8)) { *added = 0; return s->id1 - 1; }
  }
  *entries = grow(*entries, *count, cap, stride);
  u32 *e = (u32 *)((u32)*entries + *count * stride);
  zero((u32)e, stride);
  e[key_word(t)] = keep_bytes(p, n);
  e[key_word(t) + 1] = n;
  table_add(t, i, *count, *entries, stride);
  *added = 1;
  return (*count)++;
}

static void new_ip(u32 id) {
  struct Ip *e = &ips[id];
  e->last_user = 0xffffffffu;
  e->first = __builtin_inf();
  e->last = -__builtin_inf();
}

// Any address but a plain dotted quad, by its text (hash: hash_bytes of it).
static u32 intern_ip_text(u32 p, u32 n, u32 hash) {
  int added;
  u32 id = intern(&ip_index, (void **)&ips, &nips, &capips, sizeof(struct Ip), p, n, hash, &added);
  if (added) new_ip(id);
  return id;
}

// Plain dotted quads (most addresses) by value: a slot holds the value and the entry (index + 1),
// so that a lookup reads one slot, not the entry or its text.
struct V4Slot { u32 value; u32 id1; };
static struct V4Slot *v4_slots;
static u32 v4_log, v4_used;

static u32 v4_hash(u32 v) { return (u32)(((uint64_t)v * 0x9e3779b97f4a7c15ull) >> 32); }
static u32 v4_slot(u32 hash) { return hash >> (32 - v4_log); }

static void v4_init(u32 log) {
  v4_log = log;
  v4_slots = (struct V4Slot *)alloc(8u << log);
  zero((u32)v4_slots, 8u << log);
}

// The entry of the dotted quad v (text [p, p + n)), appended when new.
static u32 intern_v4(u32 v, u32 p, u32 n) {
  u32 mask = (1u << v4_log) - 1, i = v4_slot(v4_hash(v));
  for (; v4_slots[i].id1; i = (i + 1) & mask) if (v4_slots[i].value == v) return v4_slots[i].id1 - 1;
  ips = grow(ips, nips, &capips, sizeof(struct Ip));
  u32 id = nips++;
  zero((u32)&ips[id], sizeof(struct Ip));
  ips[id].key = keep_bytes(p, n);
  ips[id].len = n;
  new_ip(id);
  v4_slots[i] = (struct V4Slot){ v, id + 1 };
  if (++v4_used * 2 > mask) {
    struct V4Slot *old = v4_slots;
    u32 old_size = mask + 1;
    v4_init(v4_log + 1);
    mask = mask * 2 + 1;
    for (u32 k = 0; k < old_size; k++) {
      if (!old[k].id1) continue;
      u32 j = v4_slot(v4_hash(old[k].value));
      while (v4_slots[j].id1) j = (j + 1) & mask;
      v4_slots[j] = old[k];
    }
    release((u32)old, old_size * 8);
  }
  return id;
}

static int64_t plain_v4(u32 p, u32 end);

// The entry of the address [ip, ip + ip_len) (canonical text; v4: its value when a dotted quad,
// else -1; hash: hash_bytes of the text when it is not one).
static u32 intern_ip(u32 p, u32 n, int64_t v4, u32 hash) {
  return v4 >= 0 ? intern_v4((u32)v4, p, n) : intern_ip_text(p, n, hash);
}

// The same, the dotted quad read here.
static u32 address_id(u32 p, u32 n) {
  int64_t v4 = plain_v4(p, p + n);
  return intern_ip(p, n, v4, v4 >= 0 ? 0 : hash_bytes(p, n));
}

static u32 intern_user(u32 p, u32 n, u32 hash) {
  int added;
  u32 id = intern(&user_index, (void **)&users, &nusers, &capusers, sizeof(struct User), p, n, hash, &added);
  if (added && n > 8) users[id].next8 = head_of(p + 8, n - 8);
  return id;
}

static void ensure_tables(void) {
  if (ip_index.slots) return;
  table_init(&ip_index, 1024);
  table_init(&user_index, 1024);
  v4_init(10);
}

// The per-address user sets, by size: a set that grows leaves its memory to the next address
// whose set reaches that size (free lists by log2 of the slots). New sets are cut from blocks
// (take_block: memory a grown table left, already touched) while they fit one: a page the
// process has not touched yet costs a fault, several microseconds on a virtual machine (the
// production-shaped log's sets, ~8 MB a thread, came from new memory before).
#define SET_MIN_LOG 4
static u32 free_sets[33];
static u32 set_cut, set_cut_end;  // the rest of the block sets are cut from

static u32 *new_set(u32 log) {
  u32 *set, n = 4u << log;
  if (free_sets[log]) {
    set = (u32 *)free_sets[log];
    free_sets[log] = set[0];
  } else if (n <= BLOCK) {
    if (set_cut_end - set_cut < n) { set_cut = take_block(); set_cut_end = set_cut + BLOCK; }
    set = (u32 *)set_cut;
    set_cut += n;
  } else {
    set = (u32 *)alloc(n);
  }
  zero((u32)set, n);
  return set;
}

static void set_put(u32 *set, u32 mask, u32 v) {
  u32 i = (v * 0x9e3779b1u) >> 8 & mask;
  while (set[i]) i = (i + 1) & mask;
  set[i] = v;
}

// Adds user uid to the users of e: 1 when it was not there. (e->users < the cap.)
static int user_insert(struct Ip *e, u32 uid) {
  u32 v = uid + 1;
  if (!e->uset) {
    if (e->small[0] == v || e->small[1] == v) return 0;
    if (e->users < 2) { e->small[e->users] = v; return 1; }
    u32 *set = new_set(SET_MIN_LOG);
    e->uset = (u32)set;
    e->umask = (1u << SET_MIN_LOG) - 1;
    set_put(set, e->umask, e->small[0]);
    set_put(set, e->umask, e->small[1]);
    set_put(set, e->umask, v);
    return 1;
  }
  u32 *set = (u32 *)e->uset, mask = e->umask;
  u32 i = (v * 0x9e3779b1u) >> 8 & mask;
  for (u32 s; (s = set[i]) != 0; i = (i + 1) & mask) if (s == v) return 0;
  set[i] = v;
  if ((e->users + 1) * 2 > mask) {
    u32 log = (u32)__builtin_ctz(mask + 1);
    u32 *bigger = new_set(log + 1);
    for (u32 k = 0; k <= mask; k++) if (set[k]) set_put(bigger, mask * 2 + 1, set[k]);
    set[0] = free_sets[log];
    free_sets[log] = (u32)set;
    e->uset = (u32)bigger;
    e->umask = mask * 2 + 1;
  }
  return 1;
}

static void add_pair(u32 ip, u32 user) {
  if (nmarks == 0 || marks[nmarks - 1].range != current_range) {
    marks = grow(marks, nmarks, &capmarks, sizeof(struct Mark));
    marks[nmarks++] = (struct Mark){ current_range, npairs };
  }
  u32 k = npairs % PAIRS_PER_BLOCK;
  if (k == 0) {
    pair_blocks = grow(pair_blocks, npair_blocks, &cap_pair_blocks, 4);
    pair_blocks[npair_blocks++] = take_block();
  }
  u32 *b = (u32 *)pair_blocks[npairs / PAIRS_PER_BLOCK];
  b[2 * k] = ip;
  b[2 * k + 1] = user;
  npairs++;
}

// The user entry uid holds the n bytes at p, its length and first eight bytes being known equal
// (its slot matched them: see guess): the rest compared as intern does.
static int same_user_rest(u32 uid, u32 p, u32 n) {
  if (n <= 8) return 1;
  if (n <= 16) return users[uid].next8 == head_of(p + 8, n - 8);
  return same_bytes(users[uid].key + 8, p + 8, n - 8);
}

// Adds count failures of kind to the address id's count of that kind (past what a slot holds
// exactly: to the spills).
static void add_kind(u32 id, u32 kind, double count) {
  if (!slot_add(&ips[id], kind_slot[kind], count)) {
    spills = grow(spills, nspills, &capspills, sizeof(struct Spill));
    spills[nspills++] = (struct Spill){ id, kind, count };
  }
}

// Counts one failure (already inside the time window). user_len < 0: the line names no user.
// v4, ip_hash: see intern_ip; user_hash: hash_bytes of the user. id_hint, uid_hint: the entries
// the batch's reading stages found for the address and the user, or 0xffffffff: an address found
// by its dotted-quad value is its entry (entries are never removed); any other matched its slot's
// length and first eight bytes (guess), and the rest is compared.
static void count_failure(u32 kind, u32 ip, u32 ip_len, int64_t v4, u32 ip_hash, u32 user, int user_len, u32 user_hash, double t, double count, u32 id_hint, u32 uid_hint) {
  ensure_tables();
  u32 id = id_hint != 0xffffffffu && (v4 >= 0 || ip_len <= 8 || same_bytes(ips[id_hint].key + 8, ip + 8, ip_len - 8))
    ? id_hint : intern_ip(ip, ip_len, v4, ip_hash);
  struct Ip *e = &ips[id];
  e->count += count;
  matches += count;
  if (t == t) {
    if (t < e->first) e->first = t;
    if (t > e->last) e->last = t;
  }
  add_kind(id, kind, count);
  if (user_len < 0) return;
  u32 n = (u32)user_len;
  u32 uid = uid_hint != 0xffffffffu && same_user_rest(uid_hint, user, n)
    ? uid_hint : intern_user(user, n, user_hash);
  if (uid == e->last_user) return;
  e->last_user = uid;
  if (e->users >= cfg.max_users || !user_insert(e, uid)) return;
  add_pair(id, uid);
  e->users++;
}

/** A failure JavaScript matched on a slow-path line (address and user in the scratch area). */
EXPORT(add) void add(u32 kind, u32 ip_len, int user_len, double t, double count) {
  flush();
  u32 ip = cfg.scratch, user = ip + ip_len;
  int64_t v4 = plain_v4(ip, ip + ip_len);
  count_failure(kind, ip, ip_len, v4, v4 >= 0 ? 0 : hash_bytes(ip, ip_len), user, user_len, user_len >= 0 ? hash_bytes(user, (u32)user_len) : 0, t, count, 0xffffffffu, 0xffffffffu);
}

// ---- merging the tables of another instance (a worker thread's) into these ----

// What an instance counted since its last export (export_begin, export_write), as one block of bytes that another
// instance adds to its own (import_tables). A worker thread exports once while it scans (the
// calling thread adds that between two of its ranges while the worker scans on) and once at the
// end, which then holds only what came since: the counts are moved out (those sent are zeroed
// here; times are sent whole: min and max take them again), each address and user is sent with
// its key once, later by its number only (the importer keeps each exporter's numbers), and each
// pair once.
// Block: Header; XIp per address sent (the new ones, and the others with failures since), with
// its kind counts as a run of XKind; XUser per new user (numbers first_user on); the pairs first
// seen since (two words, the exporter's numbers); their marks (range, first pair); the spills;
// the keys last.
struct Header { u32 origin, ip_total, nips, nkinds, first_user, nusers, npairs, nmarks, nspills, key_bytes; };
struct XIp { u32 id, key, len, kinds_at, nkinds, pad; double count, first, last; };
struct XUser { u32 key, len; };
struct XKind { u32 kind, count; };
#define NO_KEY 0xffffffffu
// What the exports so far sent: addresses and users numbered below these, pairs before this one.
static u32 exported_ips, exported_users, exported_pairs;
// This instance as an exporter (set by its first export: 1 + the range it scanned last, which no
// other instance scanned).
static u32 origin;

// Memory written before and free again (the last imported block), for the temporaries of
// result_prepare: a page the process has not touched yet costs a fault (several microseconds on
// a virtual machine), about as much as the work done in it.
static u32 spare_at, spare_next, spare_end;

// n bytes of spare memory when they fit, else new memory.
static u32 spare(u32 n) {
  u32 m = (n + 15) & ~15u;
  if (m < n || spare_end - spare_next < m) return alloc(n);
  u32 p = spare_next;
  spare_next += m;
  return p;
}

static u32 pad8(u32 n) { return (n + 7) & ~7u; }

// The loops of functions called once or twice (export_tables, import_tables, result_prepare) are
// calls of a bounded piece each (NOINLINE): V8 runs a WebAssembly function in its baseline tier
// until it has run a while, and a call that has started stays there (no on-stack replacement),
// so a loop over every entry in one call would run unoptimized; a piece function called many
// times is optimized after its first calls.
#define NOINLINE __attribute__((noinline))
#define EXPORT_PIECE 1024u

// The block is made in a window of this memory, handed to JavaScript (export_out) each time it
// is full: the block (~10 MB on the production-shaped log, once a scan) written in new memory
// cost ~2,400 first-touched pages, several microseconds each on a virtual machine; the window is
// the same 256 KiB every time.
#define EXPORT_WINDOW (1u << 18)
static u32 window_at, window_used;

// What the window holds, handed to JavaScript; the window is empty again.
static void hand_over(void) {
  export_out(window_at, window_used);
  window_used = 0;
}

// n bytes of the block's next bytes (n <= EXPORT_WINDOW), at the window's end: the window is
// handed over first when they do not fit.
static void *put(u32 n) {
  if (EXPORT_WINDOW - window_used < n) hand_over();
  void *p = (void *)(window_at + window_used);
  window_used += n;
  return p;
}

// The n bytes at p as the block's next bytes (as much as fits in the window at a time).
static void put_bytes(u32 p, u32 n) {
  while (n) {
    if (window_used == EXPORT_WINDOW) hand_over();
    u32 k = EXPORT_WINDOW - window_used < n ? EXPORT_WINDOW - window_used : n;
    copy((u32)put(k), p, k);
    p += k;
    n -= k;
  }
}

// The block under way (export_begin's sizes, written by export_write).
static struct { u32 key_bytes, nkinds, nx, xnusers, xnpairs, m0, xnmarks; } block;

// How many kinds the address has failures of (its XKind in the block).
static u32 kinds_counted(const struct Ip *e) {
  u32 n = 0;
  for (u32 slot = 0; slot < KINDS; slot++) n += slot_get(e, slot) != 0;
  return n;
}

// The block's sizes for the addresses [k0, k1).
static NOINLINE void export_sizes(u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) {
    const struct Ip *e = &ips[k];
    if (k < exported_ips && e->count == 0) continue;
    block.nx++;
    if (k >= exported_ips) block.key_bytes += e->len;
    block.nkinds += kinds_counted(e);
  }
}

// The XIp of the addresses [k0, k1) (counts kept for export_kinds); kinds_at, key: where the
// next one's kinds and key are in their sections. Returns the new kinds_at.
static NOINLINE u32 export_ips(u32 k0, u32 k1, u32 kinds_at, u32 *key) {
  for (u32 k = k0; k < k1; k++) {
    const struct Ip *e = &ips[k];
    if (k < exported_ips && e->count == 0) continue;
    u32 n = kinds_counted(e);
    struct XIp *x = put(sizeof(struct XIp));
    *x = (struct XIp){ k, NO_KEY, e->len, kinds_at, n, 0, e->count, e->first, e->last };
    if (k >= exported_ips) { x->key = *key; *key += e->len; }
    kinds_at += n;
  }
  return kinds_at;
}

// The XKind of the addresses [k0, k1), in the order export_ips counted them: their counts are
// moved out (zeroed here; times are sent whole).
static NOINLINE void export_kinds(u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) {
    struct Ip *e = &ips[k];
    if (k < exported_ips && e->count == 0) continue;
    for (u32 kind = 0; kind < KINDS; kind++) {
      u32 c = slot_get(e, kind_slot[kind]);
      if (!c) continue;
      *(struct XKind *)put(sizeof(struct XKind)) = (struct XKind){ kind, c };
      slot_clear(e, kind_slot[kind]);
    }
    e->count = 0;
  }
}

// The XUser of the users [k0, k1), their keys from `key` on: returns the key offset after them.
static NOINLINE u32 export_users(u32 k0, u32 k1, u32 key) {
  for (u32 k = k0; k < k1; k++) {
    *(struct XUser *)put(sizeof(struct XUser)) = (struct XUser){ key, users[k].len };
    key += users[k].len;
  }
  return key;
}

// The keys of the new addresses [k0, k1).
static NOINLINE void export_ip_keys(u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) put_bytes(ips[k].key, ips[k].len);
}

static NOINLINE void export_user_keys(u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) put_bytes(users[k].key, users[k].len);
}

#define PIECES(from, to, call) for (u32 k_ = (from); k_ < (to); k_ += EXPORT_PIECE) { u32 k0 = k_, k1 = k_ + EXPORT_PIECE < (to) ? k_ + EXPORT_PIECE : (to); call; }

/**
 * What was counted since the last export, as one block (see struct Header): returns its size in
 * bytes; export_write then hands it to JavaScript in pieces (export_out), nothing counted between.
 */
EXPORT(export_begin) u32 export_begin(void) {
  flush();
  ensure_tables();
  if (!origin) origin = current_range + 1;
  if (!window_at) window_at = alloc(EXPORT_WINDOW);
  block.key_bytes = block.nkinds = block.nx = 0;
  PIECES(0, nips, export_sizes(k0, k1));
  for (u32 k = exported_users; k < nusers; k++) block.key_bytes += users[k].len;
  // The marks of the pairs since the last export: from the one whose run holds exported_pairs.
  u32 m0 = nmarks;
  if (exported_pairs < npairs) for (m0 = 0; m0 + 1 < nmarks && marks[m0 + 1].start <= exported_pairs;) m0++;
  block.m0 = m0;
  block.xnusers = nusers - exported_users;
  block.xnpairs = npairs - exported_pairs;
  block.xnmarks = nmarks - m0;
  return sizeof(struct Header) + block.nx * sizeof(struct XIp) + block.nkinds * sizeof(struct XKind) + block.xnusers * sizeof(struct XUser)
    + block.xnpairs * 8 + block.xnmarks * sizeof(struct Mark) + nspills * sizeof(struct Spill) + pad8(block.key_bytes);
}

/** The block export_begin sized, handed to JavaScript in order (export_out calls), the last piece included. */
EXPORT(export_write) void export_write(void) {
  window_used = 0;
  *(struct Header *)put(sizeof(struct Header)) = (struct Header){ origin, nips, block.nx, block.nkinds, exported_users, block.xnusers, block.xnpairs, block.xnmarks, nspills, block.key_bytes };
  u32 kinds_at = 0, key = 0;
  PIECES(0, nips, kinds_at = export_ips(k0, k1, kinds_at, &key));
  PIECES(0, nips, export_kinds(k0, k1));
  PIECES(exported_users, nusers, key = export_users(k0, k1, key));
  for (u32 k = exported_pairs; k < npairs;) {  // a block's pairs at a time
    u32 in = k % PAIRS_PER_BLOCK, n = PAIRS_PER_BLOCK - in < npairs - k ? PAIRS_PER_BLOCK - in : npairs - k;
    put_bytes(pair_blocks[k / PAIRS_PER_BLOCK] + in * 8, n * 8);
    k += n;
  }
  for (u32 m = block.m0; m < nmarks; m++)
    *(struct Mark *)put(sizeof(struct Mark)) = (struct Mark){ marks[m].range, marks[m].start > exported_pairs ? marks[m].start - exported_pairs : 0 };
  put_bytes((u32)spills, nspills * sizeof(struct Spill));
  nspills = 0;
  PIECES(exported_ips, nips, export_ip_keys(k0, k1));
  PIECES(exported_users, nusers, export_user_keys(k0, k1));
  zero((u32)put(pad8(block.key_bytes) - block.key_bytes), pad8(block.key_bytes) - block.key_bytes);
  hand_over();
  exported_ips = nips;
  exported_users = nusers;
  exported_pairs = npairs;
}

// The area blocks to import are copied to (reused: see spare).
static u32 stage_at, stage_cap;

/** Room for n bytes (a block of export_tables to import). */
EXPORT(reserve) u32 reserve(u32 n) {
  if (n > stage_cap) {
    if (stage_cap) release(stage_at, stage_cap);
    stage_at = alloc(n);
    stage_cap = n;
  }
  return stage_at;
}

// An exporter's numbers of addresses and users, in these tables (see import_tables).
struct Origin { u32 origin, capips, capusers, pad; u32 *ips, *users; };
static struct Origin *origins;
static u32 norigins, caporigins;

static struct Origin *origin_of(u32 o) {
  for (u32 k = 0; k < norigins; k++) if (origins[k].origin == o) return &origins[k];
  origins = grow(origins, norigins, &caporigins, sizeof(struct Origin));
  origins[norigins] = (struct Origin){ o, 0, 0, 0, 0, 0 };
  return &origins[norigins++];
}

// Room for n numbers in *map (of *cap).
static void map_room(u32 **map, u32 *cap, u32 n) {
  if (n <= *cap) return;
  u32 next = *cap * 2 > n ? *cap * 2 : n;
  u32 *bigger = (u32 *)alloc(next * 4);
  if (*cap) { copy((u32)bigger, (u32)*map, *cap * 4); release((u32)*map, *cap * 4); }
  *map = bigger;
  *cap = next;
}

// import_tables' loops, a bounded piece per call (see NOINLINE).
static NOINLINE void import_ips(const struct XIp *xi, const struct XKind *xk, u32 keys, u32 *ip_map, u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) {
    u32 id = xi[k].key == NO_KEY ? ip_map[xi[k].id] : (ip_map[xi[k].id] = address_id(keys + xi[k].key, xi[k].len));
    struct Ip *e = &ips[id];
    e->count += xi[k].count;
    matches += xi[k].count;
    if (xi[k].first < e->first) e->first = xi[k].first;
    if (xi[k].last > e->last) e->last = xi[k].last;
    for (u32 j = xi[k].kinds_at; j < xi[k].kinds_at + xi[k].nkinds; j++) add_kind(id, xk[j].kind, xk[j].count);
  }
}

static NOINLINE void import_users(const struct XUser *xu, u32 keys, u32 *user_map, u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) user_map[k] = intern_user(keys + xu[k].key, xu[k].len, hash_bytes(keys + xu[k].key, xu[k].len));
}

static NOINLINE void import_pairs(const u32 *xpairs, const u32 *ip_map, const u32 *user_map, u32 k0, u32 k1) {
  for (u32 k = k0; k < k1; k++) add_pair(ip_map[xpairs[2 * k]], user_map[xpairs[2 * k + 1]]);
}

/**
 * Adds a block exported by another instance (at `at`, see export_tables) to these tables:
 * counts, times and kinds add up, addresses and users are numbered here, and the pairs are
 * appended after these with their marks (each range was scanned by one instance: the runs of
 * pairs of one range stay together, and readers put the runs in range order, so that users keep
 * their file order). The blocks of one exporter are imported in the order it exported them;
 * this instance may scan on between them.
 */
EXPORT(import_tables) void import_tables(u32 at) {
  flush();
  ensure_tables();
  struct Header h = *(const struct Header *)at;
  u32 o = at + sizeof(struct Header);
  const struct XIp *xi = (const struct XIp *)o; o += h.nips * sizeof(struct XIp);
  const struct XKind *xk = (const struct XKind *)o; o += h.nkinds * sizeof(struct XKind);
  const struct XUser *xu = (const struct XUser *)o; o += h.nusers * sizeof(struct XUser);
  const u32 *xpairs = (const u32 *)o; o += h.npairs * 8;
  const struct Mark *xm = (const struct Mark *)o; o += h.nmarks * sizeof(struct Mark);
  const struct Spill *xs = (const struct Spill *)o; o += h.nspills * sizeof(struct Spill);
  u32 keys = o;
  struct Origin *from = origin_of(h.origin);
  map_room(&from->ips, &from->capips, h.ip_total);
  map_room(&from->users, &from->capusers, h.first_user + h.nusers);
  u32 *ip_map = from->ips, *user_map = from->users;
  // (a bounded piece per call, as export_tables does)
  for (u32 k = 0; k < h.nips; k += EXPORT_PIECE) import_ips(xi, xk, keys, ip_map, k, k + EXPORT_PIECE < h.nips ? k + EXPORT_PIECE : h.nips);
  for (u32 k = 0; k < h.nspills; k++) add_kind(ip_map[xs[k].ip], xs[k].kind, xs[k].count);
  for (u32 k = 0; k < h.nusers; k += EXPORT_PIECE) import_users(xu, keys, user_map + h.first_user, k, k + EXPORT_PIECE < h.nusers ? k + EXPORT_PIECE : h.nusers);
  u32 range = current_range;
  for (u32 m = 0; m < h.nmarks; m++) {
    current_range = xm[m].range;
    u32 to = m + 1 < h.nmarks ? xm[m + 1].start : h.npairs;
    for (u32 k = xm[m].start; k < to; k += 4 * EXPORT_PIECE) import_pairs(xpairs, ip_map, user_map, k, k + 4 * EXPORT_PIECE < to ? k + 4 * EXPORT_PIECE : to);
  }
  current_range = range;
  // The block (its keys were copied when interned) is spare memory for result_prepare.
  spare_at = spare_next = at;
  spare_end = at + stage_cap;
}

// ---- sshd sessions: the address of each (host, pid), for the lines that name none ----

// Direct-mapped (src/match/session-memory.ts: SESSION_SLOTS, SESSION_WINDOW_MS); a slot holds
// the hash of the host, the pid, the time and the address text.
#define SESSION_SLOTS 4096
#define SESSION_WINDOW_MS 600000.0
struct Session { u32 host; u32 pid; double t; u32 len; u8 ip[44]; };
static struct Session sessions[SESSION_SLOTS];

// The hash of the last host seen (lines of one host follow each other): hashed once.
static u8 last_host[64];
static u32 last_host_len = 0xffffffffu, last_host_hash;

static u32 host_hash(u32 host_at, u32 host_len) {
  if (host_len == last_host_len && same_bytes(host_at, (u32)last_host, host_len)) return last_host_hash;
  u32 h = hash_bytes(host_at, host_len);
  if (host_len <= sizeof last_host) {
    copy((u32)last_host, host_at, host_len);
    last_host_len = host_len;
    last_host_hash = h;
  }
  return h;
}

static struct Session *session_slot(u32 h, u32 pid) {
  return &sessions[(u32)(((uint64_t)(h ^ pid * 0x9e3779b9u) * 0x9e3779b97f4a7c15ull) >> 52) & (SESSION_SLOTS - 1)];
}

// Words, not memory.copy (a call in the engine): the address is at most 44 bytes, and reading
// up to 48 bytes from ip_at stays inside the padded input or ip_text.
static void remember_hashed(u32 h, u32 pid, u32 ip_at, u32 ip_len, double t) {
  if (pid == 0 || ip_len > sizeof sessions[0].ip) return;
  struct Session *s = session_slot(h, pid);
  s->t = t;
  if (s->host == h && s->pid == pid && s->len == ip_len && same_bytes((u32)s->ip, ip_at, ip_len)) return;
  s->host = h; s->pid = pid; s->len = ip_len;
  u8 *to = s->ip;
  for (u32 k = 0; k < ip_len; k += 4) { u32 w; __builtin_memcpy(&w, (const void *)(ip_at + k), 4); __builtin_memcpy(to + k, &w, 4); }
}

static void remember(u32 host_at, u32 host_len, u32 pid, u32 ip_at, u32 ip_len, double t) {
  if (pid == 0 || ip_len > sizeof sessions[0].ip) return;
  remember_hashed(host_hash(host_at, host_len), pid, ip_at, ip_len, t);
}

// Where JavaScript writes a host (and address) for session_remember and session_recall: its own
// area (the scratch area may hold what find_lines reports while JavaScript reads a line).
static u8 session_io[1024 + 64];

/** The area of session_remember and session_recall: a host of 1024 bytes at most, then an address. */
EXPORT(session_area) u32 session_area(void) { return (u32)session_io; }

/** The session (host: host_len bytes at session_area) had the address (ip_len bytes after the host). */
EXPORT(session_remember) void session_remember(u32 host_len, u32 pid, u32 ip_len, double t) {
  flush();
  if (host_len > 1024 || ip_len > 64) return;
  remember((u32)session_io, host_len, pid, (u32)session_io + host_len, ip_len, t);
}

/**
 * The address of the session (host at session_area) within the window of t, copied to the start
 * of session_area: its length, or 0 when none.
 */
EXPORT(session_recall) u32 session_recall(u32 host_len, u32 pid, double t) {
  flush();
  if (pid == 0 || host_len > 1024) return 0;
  u32 h = host_hash((u32)session_io, host_len);
  struct Session *s = session_slot(h, pid);
  if (s->len == 0 || s->host != h || s->pid != pid) return 0;
  if (t == t && s->t == s->t && __builtin_fabs(t - s->t) > SESSION_WINDOW_MS) return 0;
  copy((u32)session_io, (u32)s->ip, s->len);
  return s->len;
}

EXPORT(ip_table) u32 ip_table(void) { return (u32)ips; }
EXPORT(ip_count) u32 ip_count(void) { return nips; }
EXPORT(user_table) u32 user_table(void) { return (u32)users; }
EXPORT(user_count) u32 user_count(void) { return nusers; }
/** The block of pairs k (PAIRS_PER_BLOCK (address, user) pairs, the last one partly used). */
EXPORT(pair_block) u32 pair_block(u32 k) { return pair_blocks[k]; }
EXPORT(pairs_per_block) u32 pairs_per_block(void) { return PAIRS_PER_BLOCK; }
EXPORT(pair_count) u32 pair_count(void) { return npairs; }
EXPORT(mark_table) u32 mark_table(void) { return (u32)marks; }
EXPORT(mark_count) u32 mark_count(void) { return nmarks; }
EXPORT(spill_table) u32 spill_table(void) { return (u32)spills; }
EXPORT(spill_count) u32 spill_count(void) { return nspills; }
EXPORT(ip_stride) u32 ip_stride(void) { return sizeof(struct Ip); }
EXPORT(kind_slots) u32 kind_slots(void) { return KINDS; }
/** Where the count of kind k sits in an address's kinds: the slot (see struct Ip's hot and rest). */
EXPORT(kind_slot_of) u32 kind_slot_of(u32 k) { return kind_slot[k]; }
/** struct Ip's layout for JavaScript (readTables): the slots held in hot (u32), the byte offsets of hot, rest (u16), key and wide. */
EXPORT(ip_hot_slots) u32 ip_hot_slots(void) { return HOT_KINDS; }
EXPORT(ip_offset_of) u32 ip_offset_of(u32 field) {
  switch (field) {
    case 0: return __builtin_offsetof(struct Ip, hot);
    case 1: return __builtin_offsetof(struct Ip, rest);
    case 2: return __builtin_offsetof(struct Ip, key);
    default: return __builtin_offsetof(struct Ip, wide);
  }
}
EXPORT(match_count) double match_count(void) { return matches; }

// Canonical text of an address, written here by read_ip.
static u8 ip_text[64];

// ---- the failures of the fast path, counted in batches ----

// Most of the cost of counting a failure is waiting for memory: the address's slot and entry,
// the user's slot and entry, the address's user set, the session slot, each likely a cache miss
// once the tables outgrow the caches. The fast path queues its failures (in line order) in
// batches of BATCH, and each batch goes through four stages, one batch in each stage at a time
// (a pipeline over the ring of RING batches): a pass that only reads the slots each failure
// will look at, then one that reads the entries those slots name, then the user sets, then the
// counting itself, in order, on memory that is now cached. When a batch is full, the reads of
// the three reading stages (of three batches) are issued together, all independent of each
// other (the processor overlaps their misses), and the oldest batch is counted. The reading
// stages only look: whatever they find, the counting stage decides as it always did. The
// pipeline is emptied before JavaScript reads a line (it may count, or ask for a session) and
// when a scan returns (its input is reused).
#define BATCH 32
#define RING 4
struct Pending {
  u32 kind, ip, ip_len, user, counted, host, host_len, pid;
  int user_len;
  u32 ip_hash, user_hash, host_h, id, uid;
  int64_t v4;
  double t, count;
  u8 text[48];  // the canonical address when read_ip wrote it (ip_text is reused)
};
static struct Pending pending[RING][BATCH];
static u32 npending[RING];  // failures in each batch
static u32 filling;         // the batch being filled; the ones before it (mod RING) are further on
static u32 queued;          // failures in all batches
// What the reading stages read, summed (so that no engine drops a read).
static u32 touched;

// A candidate entry for the (hashed) key [p, p + n) of t: the first slot whose length and head
// match (a guess: the counting stage compares the key), or 0xffffffff.
static u32 guess(const struct Table *t, u32 hash, u32 p, u32 n) {
  uint64_t head = head_of(p, n);
  for (u32 i = hash & t->mask, k = 0; t->slots[i].id1 && k < 8; i = (i + 1) & t->mask, k++)
    if (t->slots[i].len == n && t->slots[i].head == head) return t->slots[i].id1 - 1;
  return 0xffffffffu;
}

// Reads the words at the n addresses (independent reads: their misses overlap).
static u32 touch(const u32 *at, u32 n) {
  u32 sum = 0;
  for (u32 k = 0; k < n; k++) sum += *(const u32 *)at[k];
  return sum;
}

// Stage 1: the hashes, and the slots they name (addresses to read at `at`; returns how many).
static u32 stage_slots(struct Pending *b, u32 n, u32 *at) {
  u32 m = 0;
  for (u32 k = 0; k < n; k++) {
    struct Pending *q = &b[k];
    q->id = q->uid = 0xffffffffu;
    if (q->pid) {
      q->host_h = host_hash(q->host, q->host_len);
      at[m++] = (u32)session_slot(q->host_h, q->pid);
    }
    if (!q->counted) continue;
    if (q->v4 < 0) q->v4 = plain_v4(q->ip, q->ip + q->ip_len);
    if (q->v4 >= 0) {
      at[m++] = (u32)&v4_slots[v4_slot(v4_hash((u32)q->v4))];
    } else {
      q->ip_hash = hash_bytes(q->ip, q->ip_len);
      at[m++] = (u32)&ip_index.slots[q->ip_hash & ip_index.mask];
    }
    if (q->user_len >= 0) {
      q->user_hash = hash_bytes(q->user, (u32)q->user_len);
      at[m++] = (u32)&user_index.slots[q->user_hash & user_index.mask];
    }
  }
  return m;
}

// Stage 2: the entries the slots name (the address's fields count_failure reads, the user's).
static u32 stage_entries(struct Pending *b, u32 n, u32 *at) {
  u32 m = 0;
  for (u32 k = 0; k < n; k++) {
    struct Pending *q = &b[k];
    if (!q->counted) continue;
    if (q->v4 >= 0) {
      u32 mask = (1u << v4_log) - 1;
      for (u32 i = v4_slot(v4_hash((u32)q->v4)), j = 0; v4_slots[i].id1 && j < 8; i = (i + 1) & mask, j++)
        if (v4_slots[i].value == (u32)q->v4) { q->id = v4_slots[i].id1 - 1; break; }
    } else {
      q->id = guess(&ip_index, q->ip_hash, q->ip, q->ip_len);
    }
    if (q->id != 0xffffffffu) {
      at[m++] = (u32)&ips[q->id].count;
      if (kind_slot[q->kind] >= HOT_KINDS) at[m++] = slot_address(&ips[q->id], kind_slot[q->kind]);
    }
    if (q->user_len >= 0) {
      q->uid = guess(&user_index, q->user_hash, q->user, (u32)q->user_len);
      // A name of eight bytes or less is whole in its slot: the entry is not read (same_user_rest).
      if (q->uid != 0xffffffffu && q->user_len > 8) at[m++] = (u32)&users[q->uid];
    }
  }
  return m;
}

// Stage 3: the slot of the user in the address's user set (and the keys compared past the
// bytes the slots hold).
static u32 stage_sets(const struct Pending *b, u32 n, u32 *at) {
  u32 m = 0;
  for (u32 k = 0; k < n; k++) {
    const struct Pending *q = &b[k];
    if (q->id == 0xffffffffu) continue;
    const struct Ip *e = &ips[q->id];
    if (q->v4 < 0 && q->ip_len > 8) at[m++] = e->key + 8;  // compared by intern
    if (q->uid == 0xffffffffu) continue;
    if (q->user_len > 16) at[m++] = users[q->uid].key + 8;
    if (e->uset) at[m++] = e->uset + 4 * (((q->uid + 1) * 0x9e3779b1u) >> 8 & e->umask);
  }
  return m;
}

// Stage 4: the counting, in line order.
static void stage_count(const struct Pending *b, u32 n) {
  for (u32 k = 0; k < n; k++) {
    const struct Pending *q = &b[k];
    if (q->pid) remember_hashed(q->host_h, q->pid, q->ip, q->ip_len, q->t);
    if (q->counted) count_failure(q->kind, q->ip, q->ip_len, q->v4, q->ip_hash, q->user, q->user_len, q->user_hash, q->t, q->count, q->id, q->uid);
  }
}

// One step of the pipeline: the batch being filled enters it, each batch in it moves one stage
// on, the oldest is counted (and becomes the one filled next).
static void step(void) {
  ensure_tables();
  u32 at[10 * BATCH], m = 0;  // at most 3 + 4 + 3 reads a failure
  u32 f = filling, f1 = (f + RING - 1) % RING, f2 = (f + RING - 2) % RING, f3 = (f + 1) % RING;
  m += stage_slots(pending[f], npending[f], at + m);
  m += stage_entries(pending[f1], npending[f1], at + m);
  m += stage_sets(pending[f2], npending[f2], at + m);
  touched += touch(at, m);
  stage_count(pending[f3], npending[f3]);
  queued -= npending[f3];
  npending[f3] = 0;
  filling = f3;
}

static void flush(void) {
  while (queued) step();
}

// Queues a failure of the fast path (counted: inside the time window and of a kind counted;
// pid: the line's sshd session, whose address is remembered, or 0).
static void queue(u32 kind, u32 ip, u32 ip_len, int64_t v4, u32 user, int user_len, double t, double count, int counted, u32 host, u32 host_len, u32 pid) {
  struct Pending *q = &pending[filling][npending[filling]];
  // Field by field (a struct literal would zero `text` with memory.fill, a call in the engine).
  q->kind = kind; q->ip = ip; q->ip_len = ip_len; q->user = user; q->counted = (u32)counted;
  q->host = host; q->host_len = host_len; q->pid = pid; q->user_len = user_len;
  q->ip_hash = q->user_hash = 0;
  q->v4 = v4; q->t = t; q->count = count;
  if (ip == (u32)ip_text) {
    for (u32 k = 0; k < sizeof q->text; k += 8) { uint64_t w = load64((u32)ip_text + k); __builtin_memcpy(q->text + k, &w, 8); }
    q->ip = (u32)q->text;
  }
  queued++;
  if (++npending[filling] == BATCH) step();
}

// ---- input: JavaScript copies each chunk here (with zeroed padding for the wide loads) ----

// Two areas: 0 for chunks (filled by reads in place), 1 for lines carried over a chunk boundary.
static u32 input_at[2], input_cap[2];

EXPORT(input) u32 input(u32 area, u32 n) {
  area &= 1;
  if (n > input_cap[area]) {
    input_at[area] = alloc(n + 64);
    input_cap[area] = n;
  }
  zero(input_at[area] + n, 64);
  return input_at[area];
}

static double skipped;
EXPORT(skipped_lines) double skipped_lines(void) { return skipped; }

// ---- the fast path ----

// Bit k: the byte at p + k is c (16 bytes; reading past a line stays inside the padded input).
static inline u32 eq16(u32 p, u8 c) {
  return (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load((const void *)p), wasm_i8x16_splat((int8_t)c)));
}

// The first byte c in [p, end), or end.
static u32 find_byte(u32 p, u32 end, u8 c) {
  for (; p < end; p += 16) {
    u32 m = eq16(p, c);
    if (m) {
      u32 q = p + (u32)__builtin_ctz(m);
      return q < end ? q : end;
    }
  }
  return end;
}

// The first ": " starting in [p, end - 1), or 0.
static u32 find_colon_space(u32 p, u32 end) {
  for (; p + 1 < end; p += 16) {
    u32 m = eq16(p, ':') & eq16(p + 1, ' ');
    if (m) {
      u32 q = p + (u32)__builtin_ctz(m);
      return q + 1 < end ? q : 0;
    }
  }
  return 0;
}

// Indexes in MATCHERS (src/matchers/all.ts; checked by the tests).
enum {
  KIND_FAILED_PASSWORD = 0, KIND_FAILED_PUBLICKEY = 1, KIND_FAILED_KEYBOARD = 2, KIND_FAILED_NONE = 3,
  KIND_INVALID_USER = 4, KIND_USER_NOT_ALLOWED = 5, KIND_SSHD_PAM = 6, KIND_MAX_AUTH_ATTEMPTS = 7,
  KIND_ROOT_REFUSED = 8, KIND_PREAUTH_DISCONNECT = 9, KIND_PAM_UNIX = 10, KIND_DOVECOT_LOGIN = 12,
  KIND_VSFTPD = 11, KIND_DOVECOT_AUTH = 13, KIND_POSTFIX_SASL = 14, KIND_NGINX = 15, KIND_APACHE_AUTH = 16,
};

static int is_digit(u32 c) { return c - 48u < 10u; }
static int is_alnum(u32 c) { return c - 48u < 10u || (c | 32u) - 97u < 26u; }
static int is_word(u32 c) { return is_alnum(c) || c == '_'; }
static int is_hex(u32 c) { return c - 48u < 10u || (c | 32u) - 97u < 6u; }

static int starts(u32 at, u32 end, const char *lit, u32 n) {
  if (at > end || end - at < n) return 0;
  return same_bytes(at, (u32)lit, n);
}
#define STARTS(at, end, lit) starts((at), (end), (lit), sizeof(lit) - 1)
#define LEN(lit) (sizeof(lit) - 1)

static u32 put_hex(u32 o, u32 v) {
  static const char digits[] = "0123456789abcdef";
  int started = 0;
  for (int s = 12; s >= 0; s -= 4) {
    u32 d = (v >> s) & 15;
    if (d || started || s == 0) { ip_text[o++] = (u8)digits[d]; started = 1; }
  }
  return o;
}

static u32 put_dec(u32 o, u32 v) {
  if (v >= 100) ip_text[o++] = (u8)('0' + v / 100);
  if (v >= 10) ip_text[o++] = (u8)('0' + v / 10 % 10);
  ip_text[o++] = (u8)('0' + v % 10);
  return o;
}

// The part of a dotted quad of len digits (1 to 3) ending at `to`: its value, or 256 when it has
// a leading zero.
static inline u32 v4_part(u32 to, u32 len) {
  u32 a = B(to - 1) - 48u, b = (B(to - 2) - 48u) & (0u - (len >= 2)), c = (B(to - 3) - 48u) & (0u - (len >= 3));
  u32 zero_lead = (len >= 2) & (B(to - len) == '0');
  return (c * 100 + b * 10 + a) | (zero_lead << 8);
}

// A dotted quad without leading zeros, parts <= 255, exactly [p, end): its value, or -1.
static int64_t plain_v4(u32 p, u32 end) {
  u32 n = end - p;
  if (n < 7 || n > 15) return -1;
  // One load: exactly three dots, digits elsewhere, parts of 1 to 3 digits.
  v128_t v = wasm_v128_load((const void *)p);
  u32 valid = (1u << n) - 1;
  u32 dots = (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(v, wasm_i8x16_splat('.'))) & valid;
  u32 digits = (u32)wasm_i8x16_bitmask(wasm_u8x16_lt(wasm_i8x16_sub(v, wasm_i8x16_splat('0')), wasm_i8x16_splat(10))) & valid;
  if ((dots | digits) != valid || __builtin_popcount(dots) != 3) return -1;
  // The parts end at the three dots and at n; each is read from its last digit back, without
  // branches (the bytes before a short part are masked off; reading them stays in memory).
  u32 e0 = (u32)__builtin_ctz(dots);
  dots &= dots - 1;
  u32 e1 = (u32)__builtin_ctz(dots);
  dots &= dots - 1;
  u32 e2 = (u32)__builtin_ctz(dots);
  u32 l0 = e0, l1 = e1 - e0 - 1, l2 = e2 - e1 - 1, l3 = n - e2 - 1;
  // Each length 1 to 3, the four as bytes of one word (each under 16: no carries): + 0x7f sets
  // a byte's top bit when it is 1 or more, + 0x7c when it is 4 or more.
  u32 lens = l0 | l1 << 8 | l2 << 16 | l3 << 24;
  if (((lens + 0x7f7f7f7fu) & 0x80808080u) != 0x80808080u || ((lens + 0x7c7c7c7cu) & 0x80808080u)) return -1;
  u32 a = v4_part(p + e0, l0), b = v4_part(p + e1, l1), c = v4_part(p + e2, l2), d = v4_part(p + n, l3);
  if ((a | b | c | d) > 255) return -1;  // past 255, or a leading zero (see v4_part)
  return (int64_t)(a << 24 | b << 16 | c << 8 | d);
}

// What read_ip read: where the canonical text is (the token itself when it is already
// canonical, else ip_text) and, for a dotted quad, its value (else -1).
static u32 ip_at;
static int64_t ip_v4;

// Canonical address of the token [p, end) (made of [0-9A-Fa-f:.]) at ip_at: its length, or 0
// when the fast path does not decide it (not an address, or a form left to normalizeIp).
static u32 read_ip(u32 p, u32 end) {
  if (end <= p || end - p > 45 || !is_hex(B(end - 1))) return 0;
  ip_v4 = plain_v4(p, end);
  ip_at = p;
  if (ip_v4 >= 0) return end - p;
  ip_at = (u32)ip_text;
  u32 g[8];
  int n = 0, gap = -1;
  u32 i = p;
  if (B(i) == ':') {
    if (end - i < 2 || B(i + 1) != ':') return 0;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    u32 s = i, v = 0;
    while (i < end && i - s < 5 && is_hex(B(i))) { u32 c = B(i); v = v << 4 | (c <= '9' ? c - 48 : (c | 32) - 87); i++; }
    if (i < end && B(i) == '.') {
      int64_t v4 = plain_v4(s, end);  // an IPv4 tail, last
      if (v4 < 0 || n > 6) return 0;
      g[n++] = (u32)(v4 >> 16);
      g[n++] = (u32)v4 & 0xffff;
      i = end;
      break;
    }
    if (i == s || i - s > 4 || n >= 8) return 0;
    g[n++] = v;
    if (i == end) break;
    if (B(i) != ':') return 0;
    i++;
    if (i < end && B(i) == ':') {
      if (gap >= 0) return 0;
      gap = n;
      i++;
    } else if (i == end) {
      return 0;  // a single trailing colon
    }
  }
  if (gap < 0 ? n != 8 : n > 7) return 0;
  u32 full[8];
  int missing = 8 - n, k = 0;
  for (int j = 0; j < n; j++) {
    if (j == gap) for (int z = 0; z < missing; z++) full[k++] = 0;
    full[k++] = g[j];
  }
  if (gap == n) for (int z = 0; z < missing; z++) full[k++] = 0;
  u32 o = 0;
  if (!full[0] && !full[1] && !full[2] && !full[3] && !full[4] && full[5] == 0xffff) {
    o = put_dec(o, full[6] >> 8); ip_text[o++] = '.';
    o = put_dec(o, full[6] & 255); ip_text[o++] = '.';
    o = put_dec(o, full[7] >> 8); ip_text[o++] = '.';
    return put_dec(o, full[7] & 255);
  }
  // RFC 5952: the longest run of two or more zero groups (the first of equals) becomes "::".
  int best = -1, best_len = 1;
  for (int j = 0; j < 8;) {
    if (full[j]) { j++; continue; }
    int e = j;
    while (e < 8 && !full[e]) e++;
    if (e - j > best_len) { best = j; best_len = e - j; }
    j = e;
  }
  for (int j = 0; j < 8; j++) {
    if (j == best) {
      ip_text[o++] = ':';
      if (j == 0) ip_text[o++] = ':';
      j += best_len - 1;
      if (j == 7) break;
      continue;
    }
    o = put_hex(o, full[j]);
    if (j < 7) ip_text[o++] = ':';
  }
  return o;
}

// The end of the address-like token at `at` (bytes of [0-9A-Fa-f:.]), at most end: 16 bytes at a
// time (reading past end stays inside the padded input).
static u32 token_end(u32 at, u32 end) {
  for (; at < end; at += 16) {
    v128_t v = wasm_v128_load((const void *)at);
    v128_t lower = wasm_v128_or(v, wasm_i8x16_splat(0x20));
    v128_t digit_or_colon = wasm_u8x16_lt(wasm_i8x16_sub(v, wasm_i8x16_splat('0')), wasm_i8x16_splat(11));  // 0-9 and ':'
    v128_t hex_letter = wasm_u8x16_lt(wasm_i8x16_sub(lower, wasm_i8x16_splat('a')), wasm_i8x16_splat(6));
    v128_t dot = wasm_i8x16_eq(v, wasm_i8x16_splat('.'));
    u32 other = ~(u32)wasm_i8x16_bitmask(wasm_v128_or(wasm_v128_or(digit_or_colon, hex_letter), dot)) & 0xffffu;
    if (other) {
      u32 q = at + (u32)__builtin_ctz(other);
      return q < end ? q : end;
    }
  }
  return end;
}

// Bit k: the byte at p + k is outside [lo, lo + span) (16 bytes, as eq16 reads them).
static inline u32 outside16(u32 p, u8 lo, u8 span) {
  v128_t v = wasm_i8x16_sub(wasm_v128_load((const void *)p), wasm_i8x16_splat((int8_t)lo));
  return ~(u32)wasm_i8x16_bitmask(wasm_u8x16_lt(v, wasm_i8x16_splat((int8_t)span))) & 0xffffu;
}

// The bits of a 16-byte mask at p that fall before end (p < end).
static inline u32 before_end(u32 m, u32 p, u32 end) { return end - p < 16 ? m & ((1u << (end - p)) - 1) : m; }

static int has_space(u32 p, u32 end) {
  for (; p < end; p += 16) if (before_end(eq16(p, ' '), p, end)) return 1;
  return 0;
}

// User name [p, end): 1 when every byte is printable ASCII (else the matchers decide).
static int printable(u32 p, u32 end) {
  for (; p < end; p += 16) if (before_end(outside16(p, 32, 95), p, end)) return 0;
  return 1;
}

// The last " from " in [from, end), or 0: six byte masks per 16 positions, from the end back.
static u32 last_from(u32 from, u32 end) {
  if (from > end || end - from < 6) return 0;
  u32 last = end - 6;  // the last position it may start at
  u32 b = last >= from + 15 ? last - 15 : from;
  for (;;) {
    u32 m = eq16(b, ' ') & eq16(b + 1, 'f') & eq16(b + 2, 'r') & eq16(b + 3, 'o') & eq16(b + 4, 'm') & eq16(b + 5, ' ');
    if (last - b < 15) m &= (2u << (last - b)) - 1;
    if (m) return b + 31 - (u32)__builtin_clz(m);
    if (b == from) return 0;
    b = b >= from + 16 ? b - 16 : from;
  }
}

// The first " from " in [from, end), or 0: six byte masks per 16 positions.
static u32 first_from(u32 from, u32 end) {
  if (from > end || end - from < 6) return 0;
  u32 last = end - 6;  // the last position it may start at
  for (u32 b = from; b <= last; b += 16) {
    u32 m = eq16(b, ' ') & eq16(b + 1, 'f') & eq16(b + 2, 'r') & eq16(b + 3, 'o') & eq16(b + 4, 'm') & eq16(b + 5, ' ');
    if (last - b < 15) m &= (2u << (last - b)) - 1;
    if (m) return b + (u32)__builtin_ctz(m);
  }
  return 0;
}

// The optional parts after an address, in this order (which the patterns allow varies).
enum { SUFFIX_SSH2 = 1, SUFFIX_SSH1 = 2, SUFFIX_KEY = 4, SUFFIX_PREAUTH = 8 };

// publickey's `: TYPE FINGERPRINT` (the pattern's `: [^:]+(?::\S*)?`, read strictly: a type
// without colons, one space, a fingerprint without spaces, both printable ASCII): after it, or i.
static u32 key_suffix(u32 i, u32 end) {
  if (!STARTS(i, end, ": ")) return i;
  u32 j = i + 2, s = j;
  while (j < end && B(j) - 33u < 94u && B(j) != ':') j++;
  if (j == s || j >= end || B(j) != ' ') return i;
  s = ++j;
  while (j < end && B(j) - 33u < 94u) j++;
  return j == s ? i : j;
}

// `[ port N]` and the parts `allow` names (`[ ssh2|ssh1][: TYPE KEY][ [preauth]]`) up to end exactly.
static int is_suffix(u32 i, u32 end, u32 allow) {
  if (STARTS(i, end, " port ")) {
    i += LEN(" port ");
    u32 d = i;
    while (i < end && is_digit(B(i))) i++;
    if (i == d) return 0;
  }
  if ((allow & SUFFIX_SSH2) && end - i >= 5 && STARTS(i, end, " ssh") && (B(i + 4) == '2' || ((allow & SUFFIX_SSH1) && B(i + 4) == '1'))) i += 5;
  if (allow & SUFFIX_KEY) i = key_suffix(i, end);
  if ((allow & SUFFIX_PREAUTH) && STARTS(i, end, " [preauth]")) i += LEN(" [preauth]");
  return i == end;
}

static u8 last_stamp[16];
static double last_ms;
static int have_stamp;
static u32 hour_key = 0xffffffffu;
static double hour_base[2];
static int have_base[2];

static u32 digit(u32 p) { return B(p) - 48u; }

// `Mmm dd hh:mm:ss` with a month name and digits only (day " d" or "dd"): its epoch ms, the
// year read against the reference as classicStampMs does (the year before when it would be
// more than a day ahead). NaN for any other form: JavaScript reads those.
static double strict_stamp(u32 p) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  u32 month = 0;
  while (month < 12 && !(B(p) == (u8)months[3 * month] && B(p + 1) == (u8)months[3 * month + 1] && B(p + 2) == (u8)months[3 * month + 2])) month++;
  if (month == 12) return __builtin_nan("");
  u32 d1 = digit(p + 4), d2 = digit(p + 5);
  u32 day;
  if (B(p + 4) == ' ' && d2 < 10) day = d2;
  else if (d1 < 10 && d2 < 10) day = d1 * 10 + d2;
  else return __builtin_nan("");
  u32 h1 = digit(p + 7), h2 = digit(p + 8), m1 = digit(p + 10), m2 = digit(p + 11), s1 = digit(p + 13), s2 = digit(p + 14);
  if (h1 > 9 || h2 > 9 || m1 > 9 || m2 > 9 || s1 > 9 || s2 > 9) return __builtin_nan("");
  u32 hour = h1 * 10 + h2;
  double within = (double)((m1 * 10 + m2) * 60000 + (s1 * 10 + s2) * 1000);
  u32 key = month << 16 | day << 8 | hour;
  if (key != hour_key) {
    hour_key = key;
    hour_base[0] = hour_ms(month, day, hour, 0);
    have_base[1] = 0;
  }
  double t = hour_base[0] + within;
  if (t > cfg.reference + 86400000.0) {
    if (!have_base[1]) { hour_base[1] = hour_ms(month, day, hour, 1); have_base[1] = 1; }
    t = hour_base[1] + within;
  }
  return t;
}

static double stamp_at(u32 p) {
  if (have_stamp && load64(p) == load64((u32)last_stamp) && load64(p + 7) == load64((u32)last_stamp + 7)) return last_ms;
  double ms = strict_stamp(p);
  if (ms != ms && printable(p, p + 15)) ms = stamp_ms(p);
  copy((u32)last_stamp, p, 15);
  last_ms = ms;
  have_stamp = 1;
  return ms;
}

// events(): the failure read_line found (the address at ip_at: the line itself or ip_text).
struct Reading { u32 kind; u32 ip_at; u32 ip_len; u32 user_at; int user_len; u32 pad; double t; double count; };
static struct Reading reading;
static int reporting;  // set by read_line: found() fills `reading` instead of counting

// The line being read: its host and pid when its program is sshd (pid 0 otherwise), set by
// fast_line and iso_line; found() remembers the session's address.
static u32 line_host_at, line_host_len, line_pid;
// The line's program is postfix's (`postfix[-name]/...`, the postfix matcher's programs).
static int line_postfix;

// The pid of a tag's `[digits]` (1 to 9 digits, as pidOf reads it), else 0.
static u32 pid_of(u32 p, u32 end) {
  if (end <= p || end - p > 9) return 0;
  u32 pid = 0;
  for (; p < end; p++) {
    if (!is_digit(B(p))) return 0;
    pid = pid * 10 + (B(p) - 48);
  }
  return pid;
}

// Counts the failure when in the time window; returns 1 (decided) or 0 (the address is left to JS).
static int found(u32 kind, u32 ip_start, u32 ip_end, u32 user, int user_len, double t, double count) {
  u32 n = read_ip(ip_start, ip_end);
  if (n == 0) return 0;
  if (user_len >= 0 && !printable(user, user + (u32)user_len)) return 0;
  if (reporting) {
    if (line_pid) remember(line_host_at, line_host_len, line_pid, ip_at, n, t);
    reading = (struct Reading){ kind, ip_at, n, user, user_len, 0, t, count };
    return 1;
  }
  int counted = t >= cfg.since && t < cfg.until && (cfg.kinds >> kind & 1);
  if (counted || line_pid) queue(kind, ip_at, n, ip_v4, user, user_len, t, count, counted, line_host_at, line_host_len, line_pid);
  return 1;
}

static int user_len_of(u32 start, u32 end) { return end > start ? (int)(end - start) : -1; }

static int is_sshd(u32 s, u32 e) {
  if (e - s < 4 || !STARTS(s, e, "sshd")) return 0;
  u32 rest = e - s - 4;
  return rest == 0 || (rest == 8 && STARTS(s + 4, e, "-session")) || (rest == 5 && STARTS(s + 4, e, "-auth"));
}

// Just after the run of [A-Za-z0-9_-] at p (p when none).
static u32 word_end(u32 p, u32 end) {
  while (p < end && (is_word(B(p)) || B(p) == '-')) p++;
  return p;
}

// `postfix/...` or `postfix-NAME/...` (NAME of [A-Za-z0-9_-]), as the postfix matcher's programs.
static int is_postfix(u32 s, u32 e) {
  if (!STARTS(s, e, "postfix")) return 0;
  u32 i = s + LEN("postfix");
  if (i < e && B(i) == '-') {
    u32 w = word_end(i + 1, e);
    if (w == i + 1) return 0;
    i = w;
  }
  return i < e && B(i) == '/';
}

// pam_unix, strict: `svc:auth): authentication failure;( key=value)* rhost=IP( +user=U)?`.
static int pam_unix(u32 at, u32 end, double t, double count) {
  u32 i = at;
  while (i < end && B(i) != ':' && B(i) != ')') i++;
  if (i == at || !STARTS(i, end, ":auth): authentication failure;")) return 0;
  i += LEN(":auth): authentication failure;");
  for (;;) {
    if (i >= end || B(i) != ' ') return 0;
    i++;
    if (STARTS(i, end, "rhost=")) break;
    // `key=value`: printable, with a '=', up to the next space.
    u32 space = find_byte(i, end, ' ');
    if (space >= end || !printable(i, space)) return 0;
    u32 eq = 0;
    for (u32 k = i; k < space && !eq; k += 16) eq = before_end(eq16(k, '='), k, space);
    if (!eq) return 0;
    i = space;
  }
  u32 ip_start = i + LEN("rhost=");
  u32 ip_end = token_end(ip_start, end);
  u32 u = 0;
  int ulen = -1;
  if (ip_end != end) {
    u32 j = ip_end;
    while (j < end && B(j) == ' ') j++;
    if (j == ip_end || !STARTS(j, end, "user=")) return 0;
    j += LEN("user=");
    if (has_space(j, end)) return 0;
    u = j;
    ulen = user_len_of(j, end);
  }
  return found(KIND_PAM_UNIX, ip_start, ip_end, u, ulen, t, count);
}

// sshd `Failed <method> for [invalid user |illegal user ]U from IP<suffix>`, msg just after
// "Failed ". The user is greedy: the address follows the last " from ".
static int failed_for(u32 m, u32 end, double t, double count) {
  u32 kind, u, allow = SUFFIX_SSH2 | SUFFIX_SSH1 | SUFFIX_PREAUTH;
  if (STARTS(m, end, "password for ")) { kind = KIND_FAILED_PASSWORD; u = m + LEN("password for "); }
  else if (STARTS(m, end, "publickey for ")) { kind = KIND_FAILED_PUBLICKEY; u = m + LEN("publickey for "); allow |= SUFFIX_KEY; }
  else if (STARTS(m, end, "keyboard-interactive/pam for ")) { kind = KIND_FAILED_KEYBOARD; u = m + LEN("keyboard-interactive/pam for "); }
  else if (STARTS(m, end, "keyboard-interactive for ")) { kind = KIND_FAILED_KEYBOARD; u = m + LEN("keyboard-interactive for "); }
  else if (STARTS(m, end, "none for ")) { kind = KIND_FAILED_NONE; u = m + LEN("none for "); }
  else return 0;
  if (STARTS(u, end, "invalid user ") || STARTS(u, end, "illegal user ")) u += LEN("invalid user ");
  // The address is in the first " from " that sshd's own suffix follows (sshdFailed of
  // matcher.ts): when the first one is not followed by it, JavaScript decides.
  u32 from = first_from(u, end);
  if (from == 0) return 0;
  u32 ip_start = from + LEN(" from ");
  u32 ip_end = token_end(ip_start, end);
  if (!is_suffix(ip_end, end, allow)) return 0;
  return found(kind, ip_start, ip_end, u, user_len_of(u, from), t, count);
}

// `U IP port N` ending at tail (the user greedy, so the address is the last word), counted as
// kind. A user with a space is left to JavaScript (it could hold an earlier matcher's message).
static int user_ip_port(u32 kind, u32 u, u32 tail, double t, double count) {
  u32 d = tail;
  while (d > u && is_digit(B(d - 1))) d--;
  if (d == tail || d < u + LEN(" port ") || !STARTS(d - LEN(" port "), tail, " port ")) return 0;
  u32 ip_end = d - LEN(" port ");
  u32 space = ip_end;
  while (space > u && B(space - 1) != ' ') space--;
  if (space == u) return 0;  // no space between the user and the address
  space--;
  if (space < u || space == ip_end - 1) return 0;
  u32 ip_start = space + 1;
  if (token_end(ip_start, ip_end) != ip_end || has_space(u, space)) return 0;
  return found(kind, ip_start, ip_end, u, user_len_of(u, space), t, count);
}

// Strips a trailing " [preauth]" off [from, end).
static u32 before_preauth(u32 from, u32 end) {
  if (end >= from + LEN(" [preauth]") && STARTS(end - LEN(" [preauth]"), end, " [preauth]")) return end - LEN(" [preauth]");
  return end;
}

// Just after sshd's "Connection closed by ", "Connection reset by " or "Disconnected from ", or 0.
static u32 after_closed(u32 msg, u32 end) {
  if (STARTS(msg, end, "Connection closed by ")) return msg + LEN("Connection closed by ");
  if (STARTS(msg, end, "Connection reset by ")) return msg + LEN("Connection reset by ");
  if (STARTS(msg, end, "Disconnected from ")) return msg + LEN("Disconnected from ");
  return 0;
}

// ---- the other common kinds, read strictly ----
// Each form below is accepted only when no matcher tried before it (MATCHERS order, same
// program) can match the message: those need text these forms cannot hold, checked by clean()
// (no ';' for pam_unix, no '"' for vsftpd, no '(' for dovecot's and the sshd ones' prefixes).

// Every byte of [p, end) printable ASCII and none of ; " ( ) (with parens when `parens` is 0).
static int clean(u32 p, u32 end, int parens) {
  for (; p < end; p += 16) {
    u32 bad = outside16(p, 32, 95) | eq16(p, ';') | eq16(p, '"');
    if (!parens) bad |= eq16(p, '(') | eq16(p, ')');
    if (before_end(bad, p, end)) return 0;
  }
  return 1;
}

// sshd `User U from IP not allowed because REASON` (U without spaces; REASON printable, without
// ':', ']' or " from ": the earlier sshd patterns need ": " or "] ", and the greedy user of the
// pattern takes the last " from ").
static int user_not_allowed(u32 msg, u32 end, double t, double count) {
  u32 u = msg + LEN("User ");
  u32 from = first_from(u, end);
  if (from == 0 || has_space(u, from)) return 0;
  u32 ip_start = from + LEN(" from ");
  u32 ip_end = token_end(ip_start, end);
  if (!STARTS(ip_end, end, " not allowed because ")) return 0;
  u32 reason = ip_end + LEN(" not allowed because ");
  if (reason >= end || !clean(reason, end, 0) || first_from(ip_end, end)) return 0;
  for (u32 i = reason; i < end; i++) if (B(i) == ':' || B(i) == ']') return 0;
  return found(KIND_USER_NOT_ALLOWED, ip_start, ip_end, u, user_len_of(u, from), t, count);
}

// The end of `... U from IP[ port N]<suffixes>` once `from` (the " from " after U) is found: a
// failure of `kind` when U has no space and the line ends as `suffixes` allow, else 0.
static int user_from_ip(u32 kind, u32 u, u32 from, u32 end, u32 suffixes, double t, double count) {
  if (from == 0 || has_space(u, from)) return 0;
  u32 ip_start = from + LEN(" from ");
  u32 ip_end = token_end(ip_start, end);
  if (!is_suffix(ip_end, end, suffixes)) return 0;
  return found(kind, ip_start, ip_end, u, user_len_of(u, from), t, count);
}

// sshd `[error: ]PAM: <failure> for [invalid user |illegal user ]U from IP[ port N][ ssh2][ [preauth]]`
// (U without spaces; no `via`).
static int sshd_pam(u32 msg, u32 end, double t, double count) {
  static const char *const failures[] = {
    "Authentication failure for ", "authentication failure for ", "Authentication error for ", "authentication error for ",
    "User not known to the underlying authentication module for ", "Authentication service cannot retrieve authentication info for ",
    "Maximum number of tries exceeded for ",
  };
  u32 i = msg + (B(msg) == 'e' ? LEN("error: ") : 0) + LEN("PAM: ");
  u32 u = 0;
  for (u32 k = 0; k < sizeof failures / sizeof failures[0] && !u; k++) {
    u32 n = 0;
    while (failures[k][n]) n++;
    if (starts(i, end, failures[k], n)) u = i + n;
  }
  if (!u) return 0;
  if (STARTS(u, end, "invalid user ") || STARTS(u, end, "illegal user ")) u += LEN("invalid user ");
  return user_from_ip(KIND_SSHD_PAM, u, first_from(u, end), end, SUFFIX_SSH2 | SUFFIX_PREAUTH, t, count);
}

// sshd `ROOT LOGIN REFUSED FROM IP[ port N][ [preauth]]` (the user is root).
static int root_refused(u32 msg, u32 end, double t, double count) {
  static const char root[8] = "root";
  u32 ip_start = msg + LEN("ROOT LOGIN REFUSED FROM ");
  u32 ip_end = token_end(ip_start, end);
  if (!is_suffix(ip_end, end, SUFFIX_PREAUTH)) return 0;
  return found(KIND_ROOT_REFUSED, ip_start, ip_end, (u32)root, 4, t, count);
}

// postfix smtpd `warning: NAME[IP][:PORT]: SASL MECH authentication failed[: BASE64]` (NAME of
// [A-Za-z0-9._-]; no sasl_username: JavaScript reads those).
static int postfix_sasl(u32 msg, u32 end, double t, double count) {
  u32 i = msg + LEN("warning: ");
  while (i < end && (is_word(B(i)) || B(i) == '.' || B(i) == '-')) i++;
  if (i >= end || B(i) != '[') return 0;
  u32 ip_start = ++i;
  u32 ip_end = token_end(ip_start, end);
  if (ip_end >= end || B(ip_end) != ']') return 0;
  i = ip_end + 1;
  if (i + 1 < end && B(i) == ':' && is_digit(B(i + 1))) for (i++; i < end && is_digit(B(i));) i++;
  if (!STARTS(i, end, ": SASL ")) return 0;
  u32 mech = i + LEN(": SASL ");
  i = word_end(mech, end);
  if (i == mech || !STARTS(i, end, " authentication failed")) return 0;
  i += LEN(" authentication failed");
  if (i < end) {
    if (!STARTS(i, end, ": ")) return 0;
    for (i += 2; i < end; i++) if (!is_alnum(B(i)) && B(i) != '+' && B(i) != '/' && B(i) != '=') return 0;
  }
  return found(KIND_POSTFIX_SASL, ip_start, ip_end, 0, -1, t, count);
}

// dovecot `<service>-login: <what> (auth failed, N attempts<...>)[ (word)]: [user=<U>, ][method=M, ]rip=IP[, <rest>]`:
// no '(' after the one read (the pattern's greedy `.*\(` takes the last that fits).
static int dovecot_login(u32 msg, u32 end, double t, double count) {
  u32 open = find_byte(msg, end, '(');
  if (open >= end || !clean(msg, open, 0) || !STARTS(open, end, "(auth failed, ")) return 0;
  u32 i = open + LEN("(auth failed, ");
  u32 d = i;
  while (i < end && is_digit(B(i))) i++;
  if (i == d || !STARTS(i, end, " attempt")) return 0;
  u32 close = find_byte(i, end, ')');
  if (close >= end || !clean(i, close, 0)) return 0;
  i = close + 1;
  if (STARTS(i, end, " (")) {
    u32 w = word_end(i + 2, end);
    if (w == i + 2 || w >= end || B(w) != ')') return 0;
    for (u32 k = i + 2; k < w; k++) if (B(k) == '-') return 0;  // \w only
    i = w + 1;
  }
  if (!STARTS(i, end, ": ")) return 0;
  i += 2;
  u32 u = 0;
  int ulen = -1;
  if (STARTS(i, end, "user=<")) {
    u = i + LEN("user=<");
    u32 gt = find_byte(u, end, '>');
    if (gt >= end || !clean(u, gt, 0) || !STARTS(gt, end, ">, ")) return 0;
    ulen = user_len_of(u, gt);
    i = gt + LEN(">, ");
  }
  if (STARTS(i, end, "method=")) {
    u32 m = i + LEN("method=");
    i = word_end(m, end);
    if (i == m || !STARTS(i, end, ", ")) return 0;
    i += 2;
  }
  if (!STARTS(i, end, "rip=")) return 0;
  u32 ip_start = i + LEN("rip=");
  u32 ip_end = token_end(ip_start, end);
  if (ip_end < end && (!STARTS(ip_end, end, ", ") || !clean(ip_end, end, 0))) return 0;
  return found(KIND_DOVECOT_LOGIN, ip_start, ip_end, u, ulen, t, count);
}

// dovecot's auth process `<proc>: <passdb>(U,IP[,<rest>]): <outcome>[<more>]`, outcome one of
// unknown user, [Pp]assword mismatch, invalid credentials (U without ',', spaces or parens).
static int dovecot_auth(u32 passdb, u32 end, double t, double count) {
  u32 u = word_end(passdb, end) + 1;  // just after '('
  u32 comma = u;
  while (comma < end && B(comma) != ',') comma++;
  if (comma >= end || !clean(u, comma, 0) || has_space(u, comma)) return 0;
  u32 ip_start = comma + 1;
  u32 ip_end = token_end(ip_start, end);
  u32 close = ip_end;
  if (close < end && B(close) == ',') {
    close = find_byte(close, end, ')');
    if (!clean(ip_end, close, 0)) return 0;
  }
  if (!STARTS(close, end, "): ")) return 0;
  u32 o = close + LEN("): ");
  u32 n;
  if (STARTS(o, end, "unknown user")) n = LEN("unknown user");
  else if (STARTS(o + 1, end, "assword mismatch") && (B(o) == 'P' || B(o) == 'p')) n = LEN("password mismatch");
  else if (STARTS(o, end, "invalid credentials")) n = LEN("invalid credentials");
  else return 0;
  if ((o + n < end && is_word(B(o + n))) || !clean(o + n, end, 0)) return 0;
  return found(KIND_DOVECOT_AUTH, ip_start, ip_end, u, user_len_of(u, comma), t, count);
}

// [p, end) contains the literal (n bytes).
static int contains(u32 p, u32 end, const char *lit, u32 n) {
  for (; p + n <= end; p++) if (B(p) == (u8)lit[0] && same_bytes(p, (u32)lit, n)) return 1;
  return 0;
}
#define CONTAINS(p, end, lit) contains((p), (end), (lit), sizeof(lit) - 1)

// vsftpd through syslog: `[U] FAIL LOGIN: Client "IP"` (U without ']').
static int vsftpd(u32 msg, u32 end, double t, double count) {
  u32 u = 0, i = msg;
  int ulen = -1;
  if (B(i) == '[') {
    u = i + 1;
    u32 close = find_byte(u, end, ']');
    if (close >= end || !clean(u, close, 1)) return 0;
    ulen = user_len_of(u, close);
    i = close + 2;
    if (B(close + 1) != ' ') return 0;
  }
  if (!STARTS(i, end, "FAIL LOGIN: Client \"")) return 0;
  u32 ip_start = i + LEN("FAIL LOGIN: Client \"");
  u32 ip_end = token_end(ip_start, end);
  if (ip_end + 1 != end || B(ip_end) != '"') return 0;
  return found(KIND_VSFTPD, ip_start, ip_end, u, ulen, t, count);
}

// nginx's error log through syslog: `YYYY/MM/DD hh:mm:ss [level] N#N: *N user "U": password
// mismatch, client: IP, server: S[, <rest>]` (or `" was not found in "F"`); U without '"', the
// rest without the texts an earlier or a second match would need.
static int nginx(u32 msg, u32 end, double t, double count) {
  if (end - msg < 40 || !STARTS(msg + 19, end, " [")) return 0;
  for (u32 k = 0; k < 19; k++) {
    u32 c = B(msg + k);
    if (k == 4 || k == 7 ? c != '/' : k == 10 ? c != ' ' : k == 13 || k == 16 ? c != ':' : !is_digit(c)) return 0;
  }
  u32 i = msg + 21;
  while (i < end && (B(i) | 32u) - 97u < 26u) i++;
  if (i == msg + 21 || !STARTS(i, end, "] ")) return 0;
  i += 2;
  u32 d = i;
  while (i < end && (is_digit(B(i)) || B(i) == '#')) i++;
  if (i == d || !STARTS(i, end, ": *")) return 0;
  i += 3;
  d = i;
  while (i < end && is_digit(B(i))) i++;
  if (i == d || !STARTS(i, end, " user \"")) return 0;
  u32 u = i + LEN(" user \"");
  u32 quote = find_byte(u, end, '"');
  if (quote >= end || !clean(u, quote, 1)) return 0;
  i = quote;
  if (STARTS(i, end, "\": password mismatch, client: ")) {
    i += LEN("\": password mismatch, client: ");
  } else if (STARTS(i, end, "\" was not found in \"")) {
    u32 f = i + LEN("\" was not found in \"");
    u32 q = find_byte(f, end, '"');
    if (q >= end || !clean(f, q, 0) || !STARTS(q, end, "\", client: ")) return 0;
    i = q + LEN("\", client: ");
  } else {
    return 0;
  }
  u32 ip_start = i;
  u32 ip_end = token_end(ip_start, end);
  if (!STARTS(ip_end, end, ", server: ")) return 0;
  i = ip_end + LEN(", server: ");
  while (i < end && B(i) != ',' && B(i) > ' ') i++;
  if (i < end) {
    if (B(i) != ',') return 0;
    // The rest: printable, no ; ( ) (earlier matchers; "FAIL LOGIN" is checked below), no second
    // `user "...": ...` reading.
    for (u32 k = i; k < end; k++) if (B(k) - 32u > 94u || B(k) == ';' || B(k) == '(' || B(k) == ')') return 0;
    if (CONTAINS(i, end, "\", client: ") || CONTAINS(i, end, "\": password mismatch, client: ") || CONTAINS(i, end, "\" was not found in \"")) return 0;
  }
  if (CONTAINS(msg, end, "FAIL LOGIN")) return 0;
  return found(KIND_NGINX, ip_start, ip_end, u, user_len_of(u, quote), t, count);
}

// An anchor of a matcher tried before apache-auth-failure whose program may be any (pam_unix,
// vsftpd, dovecot's two, nginx) at p: such a line is left to JavaScript, which tries them first.
static int earlier_anchor_at(u32 p, u32 end) {
  switch (B(p)) {
    case 'a': return STARTS(p, end, "authentication failure;") || STARTS(p, end, "auth failed") || STARTS(p, end, "assword mismatch");
    case 'F': return STARTS(p, end, "FAIL LOGIN");
    case 'u': return STARTS(p, end, "unknown user");
    case 'p': return STARTS(p, end, "pam_authenticate() failed");
    case 'i': return STARTS(p, end, "invalid credentials");
    case ' ': return STARTS(p, end, " was not found in ");
    default: return 0;
  }
}

// Apache httpd 2.4 basic authentication through syslog (apache-client.ts, apache-auth-failure.ts):
// `[...] [...] [client IP:PORT] AHnnnnn: user U: authentication failure for "PATH": Password
// Mismatch` or `... user U not found[: PATH]`, the leading brackets without brackets inside, the
// client's the first `[client ` or `[remote ` one (followed by ` AH`: the pattern's greedy head
// cannot take it), IP without a zone, U without ':' or ' ' (then the lazy user ends where the
// pattern's tail begins, and only one of its two forms can begin there), the line printable and
// without an anchor of an earlier matcher (see earlier_anchor_at). Anything else: JavaScript.
static int apache_auth(u32 msg, u32 end, double t, double count) {
  if (!printable(msg, end)) return 0;
  for (u32 k = line_host_at; k < end; k++) if (earlier_anchor_at(k, end)) return 0;
  u32 i = msg;
  while (!STARTS(i, end, "[client ") && !STARTS(i, end, "[remote ")) {
    if (i >= end || B(i) != '[') return 0;
    u32 close = find_byte(i + 1, end, ']');
    if (close >= end || find_byte(i + 1, close, '[') < close || B(close + 1) != ' ') return 0;
    i = close + 2;
  }
  u32 ip_start = i + LEN("[client "), ip_end, close;
  if (B(ip_start) == '[') {
    ip_start++;
    ip_end = token_end(ip_start, end);
    if (ip_end >= end || B(ip_end) != ']' || B(ip_end + 1) != ':') return 0;
    close = ip_end + 2;
  } else {
    close = token_end(ip_start, end);  // the address and the port: [0-9A-Fa-f:.]
    ip_end = close;
    while (ip_end > ip_start && is_digit(B(ip_end - 1))) ip_end--;
    if (ip_end == close || ip_end - 1 <= ip_start || B(ip_end - 1) != ':') return 0;
    ip_end--;
    close = ip_end + 1;
  }
  while (close < end && is_digit(B(close))) close++;
  if (B(close - 1) == ':' || !STARTS(close, end, "] AH")) return 0;
  i = close + LEN("] AH");
  u32 d = i;
  while (i < end && is_digit(B(i))) i++;
  if (i == d || !STARTS(i, end, ": user ")) return 0;
  u32 u = i + LEN(": user ");
  if (u < end && B(u) == '`') return 0;
  u32 ue = u;
  while (ue < end && B(ue) != ':' && B(ue) != ' ') ue++;
  if (STARTS(ue, end, ": authentication failure for \"")) {
    // The tail after the opening quote (the path between may be empty).
    if (end - ue < LEN(": authentication failure for \"") + LEN("\": Password Mismatch") || !STARTS(end - LEN("\": Password Mismatch"), end, "\": Password Mismatch")) return 0;
  } else if (!(end - ue == LEN(" not found") && STARTS(ue, end, " not found")) && !STARTS(ue, end, " not found: ")) {
    return 0;
  }
  return found(KIND_APACHE_AUTH, ip_start, ip_end, u, user_len_of(u, ue), t, count);
}

// The message of a line whose program is neither sshd's nor postfix's: dovecot's, vsftpd's, nginx's and Apache's forms.
static int dovecot(u32 msg, u32 end, double t, double count) {
  if (is_digit(B(msg))) return nginx(msg, end, t, count);
  if (B(msg) == '[') return vsftpd(msg, end, t, count) || apache_auth(msg, end, t, count);
  if (B(msg) == 'F') return vsftpd(msg, end, t, count);
  u32 w = word_end(msg, end);
  if (w == msg || !STARTS(w, end, ": ")) return 0;
  u32 passdb = w + 2;
  u32 p = word_end(passdb, end);
  if (p > passdb && p < end && B(p) == '(') return dovecot_auth(passdb, end, t, count);
  return dovecot_login(msg, end, t, count);
}

// A message [msg, end) of a fast-path shape, counted count times: 1 when decided, 0 for JavaScript.
static int fast_failure(u32 msg, u32 end, int sshd, double t, double count) {
  if (end - msg < 8 || B(end - 1) <= ' ') return 0;
  if (sshd && STARTS(msg, end, "Failed ")) return failed_for(msg + LEN("Failed "), end, t, count);
  if (sshd && STARTS(msg, end, "Invalid user ")) {
    u32 u = msg + LEN("Invalid user ");
    return user_from_ip(KIND_INVALID_USER, u, last_from(u, end), end, 0, t, count);
  }
  u32 closed = sshd ? after_closed(msg, end) : 0;
  if (closed) {
    // `... (authenticating|invalid) user U IP port N[ [preauth]]`.
    u32 u = closed;
    if (STARTS(u, end, "authenticating user ")) u += LEN("authenticating user ");
    else if (STARTS(u, end, "invalid user ")) u += LEN("invalid user ");
    else return 0;
    return user_ip_port(KIND_PREAUTH_DISCONNECT, u, before_preauth(u, end), t, count);
  }
  if (sshd && STARTS(msg, end, "Disconnecting ")) {
    // MaxAuthTries reached: `Disconnecting (authenticating|invalid) user U IP port N: Too many
    // authentication failures[ [preauth]]`.
    u32 u = msg + LEN("Disconnecting ");
    if (STARTS(u, end, "authenticating user ")) u += LEN("authenticating user ");
    else if (STARTS(u, end, "invalid user ")) u += LEN("invalid user ");
    else return 0;
    u32 tail = before_preauth(u, end);
    if (tail < u + LEN(": Too many authentication failures") || !STARTS(tail - LEN(": Too many authentication failures"), tail, ": Too many authentication failures")) return 0;
    return user_ip_port(KIND_MAX_AUTH_ATTEMPTS, u, tail - LEN(": Too many authentication failures"), t, count);
  }
  if (sshd && (STARTS(msg, end, "error: maximum authentication attempts exceeded for ") || STARTS(msg, end, "maximum authentication attempts exceeded for "))) {
    // `[error: ]maximum authentication attempts exceeded for [invalid user ]U from IP[ port N][ ssh2][ [preauth]]`:
    // a user with a space is left to JavaScript (an earlier matcher's message could hide in it).
    u32 u = msg + (B(msg) == 'e' ? LEN("error: ") : 0) + LEN("maximum authentication attempts exceeded for ");
    if (STARTS(u, end, "invalid user ") || STARTS(u, end, "illegal user ")) u += LEN("invalid user ");
    return user_from_ip(KIND_MAX_AUTH_ATTEMPTS, u, last_from(u, end), end, SUFFIX_SSH2 | SUFFIX_PREAUTH, t, count);
  }
  if (STARTS(msg, end, "pam_unix(")) return pam_unix(msg + LEN("pam_unix("), end, t, count);
  if (sshd) {
    if (STARTS(msg, end, "User ")) return user_not_allowed(msg, end, t, count);
    if (STARTS(msg, end, "error: PAM: ") || STARTS(msg, end, "PAM: ")) return sshd_pam(msg, end, t, count);
    if (STARTS(msg, end, "ROOT LOGIN REFUSED FROM ")) return root_refused(msg, end, t, count);
    return 0;
  }
  if (line_postfix) return STARTS(msg, end, "warning: ") ? postfix_sasl(msg, end, t, count) : 0;
  return dovecot(msg, end, t, count);
}

// syslog's `message repeated N times: [ <message> ]` (REPEATED of match-line.ts: the spaces
// inside the brackets optional, whitespace after them allowed): the message counted N times.
static int repeated(u32 msg, u32 end, int sshd, double t) {
  u32 i = msg + LEN("message repeated ");
  u32 d = i;
  double count = 0;
  while (i < end && is_digit(B(i)) && i - d < 9) count = count * 10 + (B(i++) - 48);
  if (i == d || !STARTS(i, end, " times: [")) return 0;  // 10+ digits: JavaScript
  i += LEN(" times: [");
  if (i < end && B(i) == ' ') i++;
  u32 close = end;
  while (close > i && (B(close - 1) == ' ' || B(close - 1) - 9u < 5u)) close--;
  if (close == i || B(close - 1) != ']') return 0;
  close--;
  // The message is lazy: a space before "]" belongs to the brackets.
  if (close > i && B(close - 1) == ' ') close--;
  if (close <= i) return 0;
  return fast_failure(i, close, sshd, t, count);
}

// The message [msg, end) after a prefix (time t, the tag sshd's or not).
static int fast_message(u32 msg, u32 end, int sshd, double t) {
  if (STARTS(msg, end, "message repeated ")) return repeated(msg, end, sshd, t);
  return fast_failure(msg, end, sshd, t, 1);
}

// Days from 1970-01-01 to the date y-m-d (y >= 1970, m 1-12): Howard Hinnant's days_from_civil.
static u32 days_from_civil(u32 y, u32 m, u32 d) {
  y -= m <= 2;
  u32 era = y / 400, yoe = y - era * 400;
  u32 doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static u32 two(u32 p) { u32 a = digit(p), b = digit(p + 1); return a < 10 && b < 10 ? a * 10 + b : 100; }

// RFC 3339 `YYYY-MM-DDThh:mm:ss[.frac](Z|+hh:mm|+hhmm)` at p, then a space (rsyslog's
// RFC3339 format, journalctl -o short-iso / short-iso-precise): its epoch ms in *t (as isoTime:
// Date.parse of the text, the fraction cut to ms) and the end of the stamp, or 0. Only values
// Date.parse takes as they are (no day 31 of a 30-day month, no hour 24, no leap second); the
// forms without an offset are local time, left to JavaScript.
static u32 iso_stamp(u32 p, u32 end, double *t) {
  if (end - p < 21 || B(p + 4) != '-' || B(p + 7) != '-' || B(p + 10) != 'T' || B(p + 13) != ':' || B(p + 16) != ':') return 0;
  u32 y1 = two(p), y2 = two(p + 2), mo = two(p + 5), d = two(p + 8), h = two(p + 11), mi = two(p + 14), s = two(p + 17);
  if (y1 > 99 || y2 > 99) return 0;
  u32 y = y1 * 100 + y2;
  static const u8 month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || mo - 1u > 11u || d == 0 || h > 23 || mi > 59 || s > 59) return 0;
  u32 leap = mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
  if (d > month_days[mo - 1] + leap) return 0;
  u32 i = p + 19;
  double ms = 0;
  if (i < end && B(i) == '.') {
    u32 f = ++i;
    double scale = 100;
    for (; i < end && is_digit(B(i)); i++) {
      if (i - f < 3) ms += (B(i) - 48) * scale;
      scale /= 10;
    }
    if (i == f) return 0;
  }
  double offset = 0;
  if (i < end && B(i) == 'Z') {
    i++;
  } else if (i < end && (B(i) == '+' || B(i) == '-')) {
    u32 oh = two(i + 1), om;
    u32 j = i + 3;
    if (j < end && B(j) == ':') j++;
    om = two(j);
    if (oh > 23 || om > 59 || j + 2 > end) return 0;
    offset = (double)((oh * 60 + om) * 60000) * (B(i) == '+' ? 1 : -1);
    i = j + 2;
  } else {
    return 0;
  }
  if (i >= end || B(i) != ' ') return 0;
  *t = (double)days_from_civil(y, mo, d) * 86400000.0 + (double)((h * 60 + mi) * 60 + s) * 1000.0 + ms - offset;
  return i;
}

// A line with an RFC 3339 stamp: ` host tag[pid]: message` as the SYSLOG pattern of
// parse-prefix.ts reads it (host and tag printable ASCII here; anything else goes to JavaScript).
static int iso_line(u32 start, u32 end) {
  double t;
  u32 i = iso_stamp(start, end, &t);
  if (i == 0) return 0;
  u32 host = ++i;
  while (i < end && B(i) - 33u < 94u) i++;
  if (i == host || i >= end || B(i) != ' ') return 0;
  u32 tag = ++i;
  while (i < end && B(i) - 33u < 94u && B(i) != ':' && B(i) != '[') i++;
  u32 tag_end = i;
  if (i == tag || i >= end) return 0;
  u32 pid = 0;
  if (B(i) == '[') {
    u32 d = ++i;
    while (i < end && is_digit(B(i))) i++;
    if (i == d || i >= end || B(i) != ']') return 0;
    pid = pid_of(d, i);
    i++;
  }
  if (!STARTS(i, end, ": ")) return 0;
  int sshd = is_sshd(tag, tag_end);
  line_postfix = is_postfix(tag, tag_end);
  line_host_at = host; line_host_len = tag - 1 - host; line_pid = sshd ? pid : 0;
  return fast_message(i + 2, end, sshd, t);
}

// The line [start, end) without its newline: 1 when decided here, 0 for JavaScript.
static int fast_line(u32 start, u32 end) {
  line_pid = 0;
  if (end - start < 20) return 0;
  u32 c0 = B(start);
  if (is_digit(c0)) return iso_line(start, end);
  if (c0 != 'J' && c0 != 'F' && c0 != 'M' && c0 != 'A' && c0 != 'S' && c0 != 'O' && c0 != 'N' && c0 != 'D') return 0;
  if (B(start + 3) != ' ' || B(start + 6) != ' ' || B(start + 9) != ':' || B(start + 12) != ':' || B(start + 15) != ' ') return 0;
  double t = stamp_at(start);
  if (t != t) return 0;
  u32 host_end = find_byte(start + 16, end, ' ');
  if (host_end == start + 16 || host_end >= end) return 0;
  if (B(host_end - 1) == ':') return 0;  // no host: `tag[pid]: message`, read by JavaScript
  u32 colon = find_colon_space(host_end + 1, end);
  if (colon == 0) return 0;
  u32 tag_end = colon;
  if (B(colon - 1) == ']') {
    tag_end = colon - 1;
    while (tag_end > host_end && B(tag_end) != '[') tag_end--;
    if (tag_end <= host_end) return 0;
  }
  if (tag_end == host_end + 1) return 0;
  for (u32 i = host_end + 1; i < tag_end; i += 16)
    if (before_end(outside16(i, 33, 94) | eq16(i, ':') | eq16(i, '['), i, tag_end)) return 0;
  int sshd = is_sshd(host_end + 1, tag_end);
  line_postfix = is_postfix(host_end + 1, tag_end);
  line_host_at = start + 16; line_host_len = host_end - start - 16;
  line_pid = sshd && tag_end < colon ? pid_of(tag_end + 1, colon - 1) : 0;
  return fast_message(colon + 2, end, sshd, t);
}

static void line_at(u32 ls, u32 le) {
  if (le - ls > cfg.max_line) { skipped++; return; }
  u32 e = le;
  if (e > ls && B(e - 1) == '\r') e--;  // CRLF logs: matchLineRaw strips it too
  if (!fast_line(ls, e)) {
    flush();
    slow_line(ls, le);
  }
}

/**
 * events(): reads the line [start, end) (without its newline; input with padding) with the fast
 * path: 1 when it is a failure of a shape it knows (kind, address, user, time and count at
 * line_reading()), 0 when JavaScript must decide.
 */
EXPORT(read_line) int read_line(u32 start, u32 end) {
  if (end > start && B(end - 1) == '\r') end--;
  reporting = 1;
  int decided = fast_line(start, end);
  reporting = 0;
  return decided;
}

/** Where read_line leaves what it read (struct Reading). */
EXPORT(line_reading) u32 line_reading(void) { return (u32)&reading; }

// Start of the line holding q (just after the newline before it, or start).
static u32 line_start(u32 q, u32 start) {
  const v128_t nl = wasm_i8x16_splat('\n');
  while (q >= start + 16) {
    u32 m = (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load((const void *)(q - 16)), nl));
    if (m) return q - 16 + (32 - (u32)__builtin_clz(m));
    q -= 16;
  }
  while (q > start && B(q - 1) != '\n') q--;
  return q;
}

// The newline at or after q, or end.
static u32 line_end(u32 q, u32 end) {
  const v128_t nl = wasm_i8x16_splat('\n');
  while (q + 16 <= end) {
    u32 m = (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load((const void *)q), nl));
    if (m) return q + (u32)__builtin_ctz(m);
    q += 16;
  }
  while (q < end && B(q) != '\n') q++;
  return q;
}

static int is_code(u32 code) {
  for (u32 i = code_slot(code), c; (c = code_slots[i]) != 0; i = (i + 1) & (CODE_SLOTS - 1)) if (c == code) return 1;
  return 0;
}

// ---- candidates: Teddy nibble tables over 3-byte fingerprints ----

struct Nibbles { v128_t lo[3], hi[3]; };

static struct Nibbles nibbles(void) {
  struct Nibbles t;
  for (int k = 0; k < 3; k++) {
    t.lo[k] = wasm_v128_load(cfg.tables + 32 * k);
    t.hi[k] = wasm_v128_load(cfg.tables + 32 * k + 16);
  }
  return t;
}

// The high nibble of each byte: a 16-bit shift and the same mask as the low nibble (x64 has no
// byte shift: V8 makes i8x16.shr_u a word shift and a mask it builds anew each time).
static inline v128_t high_nibbles(v128_t v, v128_t low) { return wasm_v128_and(wasm_u16x8_shr(v, 4), low); }

// Byte k nonzero: a fingerprint may start at position k of v0 (v1, v2: the bytes one and two on).
static inline v128_t may_start(const struct Nibbles *t, v128_t v0, v128_t v1, v128_t v2) {
  const v128_t low = wasm_i8x16_splat(0x0f);
  v128_t m = wasm_v128_and(wasm_i8x16_swizzle(t->lo[0], wasm_v128_and(v0, low)), wasm_i8x16_swizzle(t->hi[0], high_nibbles(v0, low)));
  m = wasm_v128_and(m, wasm_v128_and(wasm_i8x16_swizzle(t->lo[1], wasm_v128_and(v1, low)), wasm_i8x16_swizzle(t->hi[1], high_nibbles(v1, low))));
  return wasm_v128_and(m, wasm_v128_and(wasm_i8x16_swizzle(t->lo[2], wasm_v128_and(v2, low)), wasm_i8x16_swizzle(t->hi[2], high_nibbles(v2, low))));
}

// ---- events(): candidate lines for JavaScript, with the newlines before each ----

static u32 found_resume, found_newlines;

/** Where find_lines stopped (end when done) and the newlines in [start, that point). */
EXPORT(find_resume) u32 find_resume(void) { return found_resume; }
EXPORT(find_newlines) u32 find_newlines(void) { return found_newlines; }

/**
 * The candidate lines of [start, end) (input with zeroed padding; an exact fingerprint on each)
 * as (line start, line end, newlines before the line) triples at out, at most cap: returns how
 * many. When out is full it stops at the start of the next candidate line (find_resume).
 */
EXPORT(find_lines) u32 find_lines(u32 start, u32 end, u32 out, u32 cap) {
  const v128_t nl = wasm_i8x16_splat('\n');
  const struct Nibbles t = nibbles();
  const v128_t none = wasm_i8x16_splat(0);
  u32 *triples = (u32 *)out;
  u32 newlines = 0, n = 0, skip_until = start;
  for (u32 i = start; i < end; i += 16) {
    v128_t v0 = wasm_v128_load((const void *)i);
    v128_t v1 = wasm_v128_load((const void *)(i + 1));
    v128_t v2 = wasm_v128_load((const void *)(i + 2));
    u32 valid = end - i >= 16 ? 0xffffu : (1u << (end - i)) - 1;
    u32 nls = (u32)wasm_i8x16_bitmask(wasm_i8x16_eq(v0, nl)) & valid;
    v128_t m = may_start(&t, v0, v1, v2);
    u32 hits = (u32)wasm_i8x16_bitmask(wasm_i8x16_ne(m, none)) & valid;
    while (hits) {
      u32 q = i + (u32)__builtin_ctz(hits);
      hits &= hits - 1;
      if (q < skip_until || !is_code((u32)B(q) << 16 | (u32)B(q + 1) << 8 | B(q + 2))) continue;
      // No newline between the line start and q: the newlines before q are the line's.
      u32 before = newlines + (u32)__builtin_popcount(nls & ((1u << (q - i)) - 1));
      u32 ls = line_start(q, start);
      if (n == cap) {
        found_resume = ls;
        found_newlines = before;
        return n;
      }
      u32 le = line_end(q, end);
      skip_until = le;
      triples[3 * n] = ls;
      triples[3 * n + 1] = le;
      triples[3 * n + 2] = before;
      n++;
    }
    newlines += (u32)__builtin_popcount(nls);
  }
  found_resume = end;
  found_newlines = newlines;
  return n;
}

// The candidate positions of the block at i (m: may_start's), each line once: a position before
// skip_until is in a line already read. Returns the new skip_until.
static inline u32 candidates(u32 i, v128_t m, u32 skip_until, u32 start, u32 end) {
  u32 hits = (u32)wasm_i8x16_bitmask(wasm_i8x16_ne(m, wasm_i8x16_splat(0)));
  while (hits) {
    u32 q = i + (u32)__builtin_ctz(hits);
    hits &= hits - 1;
    if (q < skip_until) continue;
    if (!is_code((u32)B(q) << 16 | (u32)B(q + 1) << 8 | B(q + 2))) continue;
    u32 le = line_end(q, end);
    skip_until = le;
    line_at(line_start(q, start), le);
  }
  return skip_until;
}

// The newlines in [p, end) (reading up to 15 bytes past end stays inside the padded input):
// summed per byte lane (each compare gives -1), at most 255 blocks at a time.
static u32 count_newlines(u32 p, u32 end) {
  const v128_t nl = wasm_i8x16_splat('\n');
  u32 n = 0;
  while (end - p >= 16) {
    u32 blocks = (end - p) / 16;
    if (blocks > 255) blocks = 255;
    v128_t lanes = wasm_i8x16_splat(0);
    for (u32 stop = p + blocks * 16; p < stop; p += 16) lanes = wasm_i8x16_sub(lanes, wasm_i8x16_eq(wasm_v128_load((const void *)p), nl));
    v128_t s32 = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(lanes));
    n += wasm_u32x4_extract_lane(s32, 0) + wasm_u32x4_extract_lane(s32, 1) + wasm_u32x4_extract_lane(s32, 2) + wasm_u32x4_extract_lane(s32, 3);
  }
  if (p < end) n += (u32)__builtin_popcount(before_end(eq16(p, '\n'), p, end));
  return n;
}

/**
 * Scans the lines in [start, end) (input with 64 zeroed bytes after end; the last line may lack
 * its newline) and returns the number of newlines.
 */
EXPORT(scan) u32 scan(u32 start, u32 end) {
  const struct Nibbles t = nibbles();
  u32 newlines = 0;
  u32 skip_until = start;
  u32 i = start;
  // Whole blocks, 4 KiB at a time: the candidate mask is only read out when a block has a
  // candidate, and the blocks left of a line read are skipped. The newlines of the bytes gone
  // over are counted after each 4 KiB, apart (the bytes are in the first-level cache then), so
  // that the loop keeps its registers for the nibble tables (x64 has 16 of them).
  while (end - i >= 16) {
    u32 group = i;
    u32 blocks = (end - i) / 16;
    if (blocks > 256) blocks = 256;
    for (u32 stop = i + blocks * 16; i + 16 <= stop; i += 16) {
      v128_t m = may_start(&t, wasm_v128_load((const void *)i), wasm_v128_load((const void *)(i + 1)), wasm_v128_load((const void *)(i + 2)));
      if (__builtin_expect(wasm_v128_any_true(m), 0)) {
        skip_until = candidates(i, m, skip_until, start, end);
        // The rest of a line read holds no newline and no other candidate: the next block starts
        // at its newline (blocks need not be aligned).
        if (skip_until > i + 16) i = skip_until - 16;
      }
    }
    newlines += count_newlines(group, i);
  }
  // The last bytes, one at a time.
  for (; i < end; i++) {
    if (B(i) == '\n') { newlines++; continue; }
    if (i < skip_until) continue;
    if (!is_code((u32)B(i) << 16 | (u32)B(i + 1) << 8 | B(i + 2))) continue;
    u32 le = line_end(i, end);
    skip_until = le;
    line_at(line_start(i, start), le);
  }
  flush();
  return newlines;
}

#include "json-result.c"
