;; SIMD dot-product kernels for normalised vectors, over this module's own linear memory.
;; Float vectors are stored with a stride that is a multiple of 16 floats, int8 vectors of 16 bytes,
;; so every loop runs whole 64-byte (f32) or 16-byte (i8) steps with no tail.
;; Rebuild the embedded binary with `npm run build:kernels` after editing.
(module
  (memory (export "memory") 1)

  ;; dot(a, b) over `len` floats (a multiple of 16) at byte offsets a and b.
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $len i32) (result f32)
    (local $end i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $len) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load offset=0 (local.get $a)) (v128.load offset=0 (local.get $b)))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $step)))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))

  ;; out[i] = dot(q, base + i * stride) for i in [0, count): a scan of consecutive vectors.
  (func (export "dot_range") (param $q i32) (param $base i32) (param $count i32) (param $len i32) (param $out i32)
    (local $end i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $len) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out) (call $dot (local.get $q) (local.get $base) (local.get $len)))
        (local.set $base (i32.add (local.get $base) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next))))

  ;; out[i] = dot(q, base + slots[i] * stride) for i in [0, count): the neighbours of a graph node.
  (func (export "dot_gather") (param $q i32) (param $base i32) (param $slots i32) (param $count i32) (param $len i32) (param $out i32)
    (local $end i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $len) (i32.const 2)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (call $dot (local.get $q)
            (i32.add (local.get $base) (i32.mul (i32.load (local.get $slots)) (local.get $stride)))
            (local.get $len)))
        (local.set $slots (i32.add (local.get $slots) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next))))

  ;; Integer dot of two int8 vectors of `len` bytes (a multiple of 16). |products| <= 127 * 127 fit in i16.
  (func $dot_i8 (param $a i32) (param $b i32) (param $len i32) (result i32)
    (local $end i32) (local $va v128) (local $vb v128) (local $s v128)
    (local.set $end (i32.add (local.get $a) (local.get $len)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $va (v128.load (local.get $a)))
        (local.set $vb (v128.load (local.get $b)))
        (local.set $s (i32x4.add (local.get $s)
          (i32x4.add
            (i32x4.extadd_pairwise_i16x8_s (i16x8.extmul_low_i8x16_s (local.get $va) (local.get $vb)))
            (i32x4.extadd_pairwise_i16x8_s (i16x8.extmul_high_i8x16_s (local.get $va) (local.get $vb))))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $step)))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $s)) (i32x4.extract_lane 1 (local.get $s)))
      (i32.add (i32x4.extract_lane 2 (local.get $s)) (i32x4.extract_lane 3 (local.get $s)))))

  ;; out[i] = dot_i8(q, base + i * len) as i32, for i in [0, count).
  (func (export "dot_i8_range") (param $q i32) (param $base i32) (param $count i32) (param $len i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (i32.store (local.get $out) (call $dot_i8 (local.get $q) (local.get $base) (local.get $len)))
        (local.set $base (i32.add (local.get $base) (local.get $len)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next)))))
