/// Deterministic pseudo-random numbers: every live value is a pure function of
/// (seed, miner, sim time, field), so two runs with the same seed answer the same.
enum SimRandom {
    /// SplitMix64 finalizer: a good 64-bit mix of its input.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hash(_ values: UInt64...) -> UInt64 {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for value in values { h = mix(h ^ value) }
        return h
    }

    /// A uniform double in [0, 1).
    static func unit(_ values: UInt64...) -> Double {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for value in values { h = mix(h ^ value) }
        return Double(h >> 11) / Double(1 << 53)
    }

    /// A uniform double in [-1, 1).
    static func signed(_ values: UInt64...) -> Double {
        var h: UInt64 = 0x6A09_E667_F3BC_C908
        for value in values { h = mix(h ^ value) }
        return Double(h >> 11) / Double(1 << 52) - 1
    }

    /// A stable 64-bit hash of a string (FNV-1a), for field names.
    static func hash(_ string: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in string.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }

    /// A deterministic permutation of 0..<count (Fisher-Yates driven by the seed).
    static func permutation(count: Int, seed: UInt64, salt: UInt64) -> [Int] {
        var order = Array(0..<count)
        guard count > 1 else { return order }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(hash(seed, salt, UInt64(i)) % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }
}
