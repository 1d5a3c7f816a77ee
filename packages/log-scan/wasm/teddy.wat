;; Candidate finder of @ops/log-scan: one pass over a byte range with 128-bit SIMD.
;; For each 16-byte block it counts newlines and flags every position where one of up to
;; 8 buckets of 3-byte fingerprints may start (Teddy: nibble tables looked up with swizzle).
;; Memory: bytes 0..95 hold the six nibble tables (lo0 hi0 lo1 hi1 lo2 hi2), written by JS.
;; Each candidate is written at `out` as two i32: its position and the newlines before it
;; since `start`. Build: node scripts/build-wasm.mjs (wabt), output src/scanner/teddy-wasm.ts.
(module
  (memory (export "memory") 1)
  (global $nl (export "nl") (mut i32) (i32.const 0))
  (global $resume (export "resume") (mut i32) (i32.const 0))
  (func (export "scan") (param $start i32) (param $end i32) (param $out i32) (param $cap i32) (result i32)
    (local $i i32) (local $n i32) (local $nl i32) (local $valid i32) (local $bits i32) (local $nlbits i32) (local $tz i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $f v128) (local $newline v128) (local $v v128) (local $m v128)
    (local.set $lo0 (v128.load offset=0 (i32.const 0)))
    (local.set $hi0 (v128.load offset=16 (i32.const 0)))
    (local.set $lo1 (v128.load offset=32 (i32.const 0)))
    (local.set $hi1 (v128.load offset=48 (i32.const 0)))
    (local.set $lo2 (v128.load offset=64 (i32.const 0)))
    (local.set $hi2 (v128.load offset=80 (i32.const 0)))
    (local.set $f (i8x16.splat (i32.const 15)))
    (local.set $newline (i8x16.splat (i32.const 10)))
    (local.set $i (local.get $start))
    (global.set $resume (local.get $end))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.gt_u (i32.add (local.get $n) (i32.const 16)) (local.get $cap))
          (then (global.set $resume (local.get $i)) (br $done)))
        (local.set $valid
          (if (result i32) (i32.ge_u (i32.sub (local.get $end) (local.get $i)) (i32.const 16))
            (then (i32.const 0xffff))
            (else (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $end) (local.get $i))) (i32.const 1)))))
        (local.set $v (v128.load (local.get $i)))
        (local.set $nlbits (i32.and (local.get $valid) (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $newline)))))
        (local.set $m (v128.and
          (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $f)))
          (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        (local.set $v (v128.load offset=1 (local.get $i)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v) (local.get $f)))
          (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (local.set $v (v128.load offset=2 (local.get $i)))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.swizzle (local.get $lo2) (v128.and (local.get $v) (local.get $f)))
          (i8x16.swizzle (local.get $hi2) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (if (v128.any_true (local.get $m))
          (then
            (local.set $bits (i32.and (local.get $valid)
              (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i64x2 0 0)))))
            (block $nobits
              (loop $each
                (br_if $nobits (i32.eqz (local.get $bits)))
                (local.set $tz (i32.ctz (local.get $bits)))
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3)))
                  (i32.add (local.get $i) (local.get $tz)))
                (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3)))
                  (i32.add (local.get $nl) (i32.popcnt (i32.and (local.get $nlbits)
                    (i32.sub (i32.shl (i32.const 1) (local.get $tz)) (i32.const 1))))))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $each)))))
        (local.set $nl (i32.add (local.get $nl) (i32.popcnt (local.get $nlbits))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (global.set $nl (local.get $nl))
    (local.get $n))
)
