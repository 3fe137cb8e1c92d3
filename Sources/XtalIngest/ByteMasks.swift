#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// Bit masks over 64-byte blocks of a buffer: bit `i` is set when byte `i` of the block
/// matches. The line cursor finds line ends and line starts with them, 64 bytes per step,
/// instead of one `memchr` call per line.
///
/// On x86-64 the masks come from SSE2 compares and `pmovmskb` (every x86-64 processor has
/// SSE2, so no build flags or run-time dispatch are needed); elsewhere from a plain loop.
/// Both read exactly the 64 bytes at `p`, which must all be readable.
enum ByteMasks {
    /// Bytes equal to `byte`.
    @inline(__always)
    static func equal(_ p: UnsafePointer<UInt8>, _ byte: UInt8) -> UInt64 {
        #if arch(x86_64)
            let needle = _mm_set1_epi8(Int8(bitPattern: byte))
            let raw = UnsafeRawPointer(p)
            let m0 = _mm_movemask_epi8(_mm_cmpeq_epi8(load(raw), needle))
            let m1 = _mm_movemask_epi8(_mm_cmpeq_epi8(load(raw + 16), needle))
            let m2 = _mm_movemask_epi8(_mm_cmpeq_epi8(load(raw + 32), needle))
            let m3 = _mm_movemask_epi8(_mm_cmpeq_epi8(load(raw + 48), needle))
            return combine(m0, m1, m2, m3)
        #else
            var mask: UInt64 = 0
            for i in 0..<64 where p[i] == byte { mask |= 1 << UInt64(i) }
            return mask
        #endif
    }

    /// Bytes equal to any of `a`, `b`, `c`.
    @inline(__always)
    static func equalAny(_ p: UnsafePointer<UInt8>, _ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt64 {
        #if arch(x86_64)
            let va = _mm_set1_epi8(Int8(bitPattern: a))
            let vb = _mm_set1_epi8(Int8(bitPattern: b))
            let vc = _mm_set1_epi8(Int8(bitPattern: c))
            let raw = UnsafeRawPointer(p)
            @inline(__always) func part(_ offset: Int) -> Int32 {
                let v = load(raw + offset)
                return _mm_movemask_epi8(
                    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc)))
            }
            return combine(part(0), part(16), part(32), part(48))
        #else
            var mask: UInt64 = 0
            for i in 0..<64 where p[i] == a || p[i] == b || p[i] == c { mask |= 1 << UInt64(i) }
            return mask
        #endif
    }

    #if arch(x86_64)
        @inline(__always)
        private static func load(_ p: UnsafeRawPointer) -> __m128i {
            _mm_loadu_si128(p.assumingMemoryBound(to: __m128i.self))
        }

        @inline(__always)
        private static func combine(_ m0: Int32, _ m1: Int32, _ m2: Int32, _ m3: Int32) -> UInt64 {
            UInt64(UInt16(truncatingIfNeeded: m0)) | UInt64(UInt16(truncatingIfNeeded: m1)) << 16
                | UInt64(UInt16(truncatingIfNeeded: m2)) << 32 | UInt64(UInt16(truncatingIfNeeded: m3)) << 48
        }
    #endif
}
