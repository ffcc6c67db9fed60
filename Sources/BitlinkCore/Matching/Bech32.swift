/// Bech32 (BIP-173) and Bech32m (BIP-350) strings: a human-readable part, the separator `1`,
/// 5-bit data and a 6-character checksum. The two variants differ only in the constant the
/// checksum is xored with; segwit v0 addresses use Bech32, v1 and later use Bech32m.
public enum Bech32 {
    /// Which checksum constant a string verified with.
    public enum Variant: String, Sendable, Equatable {
        /// BIP-173: checksum constant 1 (segwit v0).
        case bech32
        /// BIP-350: checksum constant 0x2bc830a3 (segwit v1 and later).
        case bech32m

        var constant: UInt32 { self == .bech32 ? 1 : 0x2bc8_30a3 }
    }

    /// Why a string is not Bech32 or Bech32m, in the order BIP-173's reference decoder checks.
    public enum DecodeError: Error, Sendable, Equatable {
        /// A character below `!` or above `~` (BIP-173 allows only US-ASCII 33-126).
        case characterOutOfRange
        /// Upper and lower case mixed; a string must be all one case.
        case mixedCase
        /// More than 90 characters.
        case tooLong
        /// No `1` separating the human-readable part from the data.
        case missingSeparator
        /// Nothing before the separator.
        case emptyHumanReadablePart
        /// Fewer than 6 characters after the separator.
        case checksumTooShort
        /// A data character outside `qpzry9x8gf2tvdw0s3jn54khce6mua7l`.
        case invalidDataCharacter(Character)
        /// Neither the Bech32 nor the Bech32m checksum verifies.
        case invalidChecksum
    }

    /// The 32 data characters, by value.
    public static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)

    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, byte) in charset.enumerated() { table[Int(byte)] = Int8(i) }
        return table
    }()

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
        var chk: UInt32 = 1
        for value in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(value)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 {
                chk ^= generator[i]
            }
        }
        return chk
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// Decodes a Bech32 or Bech32m string.
    /// - Parameter string: the whole string, for example `bc1q...`.
    /// - Returns: the human-readable part (lower-cased), the 5-bit data values without the
    ///   checksum, and the variant whose checksum verified.
    /// - Throws: `DecodeError` for the first rule the string breaks.
    public static func decode(_ string: some StringProtocol) throws(DecodeError)
        -> (hrp: String, data: [UInt8], variant: Variant)
    {
        var hasLower = false
        var hasUpper = false
        var bytes: [UInt8] = []
        for scalar in string.unicodeScalars {
            guard scalar.value >= 33, scalar.value <= 126 else { throw .characterOutOfRange }
            let byte = UInt8(scalar.value)
            if byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") { hasLower = true }
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                hasUpper = true
                bytes.append(byte + 32)
            } else {
                bytes.append(byte)
            }
        }
        if hasLower, hasUpper { throw .mixedCase }
        guard let separator = bytes.lastIndex(of: UInt8(ascii: "1")) else { throw .missingSeparator }
        guard separator >= 1 else { throw .emptyHumanReadablePart }
        guard separator + 7 <= bytes.count else { throw .checksumTooShort }
        guard bytes.count <= 90 else { throw .tooLong }
        var data: [UInt8] = []
        for byte in bytes[(separator + 1)...] {
            guard byte < 128, values[Int(byte)] >= 0 else {
                throw .invalidDataCharacter(Character(Unicode.Scalar(byte)))
            }
            data.append(UInt8(values[Int(byte)]))
        }
        let hrp = Array(bytes[..<separator])
        let check = polymod(expand(hrp) + data)
        let variant: Variant
        switch check {
        case Variant.bech32.constant: variant = .bech32
        case Variant.bech32m.constant: variant = .bech32m
        default: throw .invalidChecksum
        }
        return (String(decoding: hrp, as: UTF8.self), Array(data.dropLast(6)), variant)
    }

    /// Encodes 5-bit data with a checksum of the given variant.
    /// - Parameters:
    ///   - hrp: the human-readable part, lower case.
    ///   - data: 5-bit values (0-31).
    ///   - variant: which checksum constant to use.
    /// - Returns: the lower-case string.
    public static func encode(hrp: String, data: [UInt8], variant: Variant) -> String {
        let hrpBytes = Array(hrp.utf8)
        let polymodValue = polymod(expand(hrpBytes) + data + [0, 0, 0, 0, 0, 0]) ^ variant.constant
        var out = hrpBytes + [UInt8(ascii: "1")]
        for value in data { out.append(charset[Int(value & 31)]) }
        for i in 0..<6 { out.append(charset[Int((polymodValue >> UInt32(5 * (5 - i))) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Regroups bits, as segwit addresses do between 5-bit data and 8-bit witness programs.
    /// - Parameters:
    ///   - data: values each `from` bits wide.
    ///   - from: input width in bits.
    ///   - to: output width in bits.
    ///   - pad: whether to pad the last group with zeros (encoding); when false, leftover
    ///     bits must be fewer than `from` and all zero (decoding, BIP-173).
    /// - Returns: the regrouped values, or nil when an input is too wide or padding is wrong.
    public static func convertBits(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
        var accumulator = 0
        var bits = 0
        var out: [UInt8] = []
        let maxValue = (1 << to) - 1
        // Only the bits not yet emitted matter; masking keeps the accumulator from overflowing.
        let maxAccumulator = (1 << (from + to - 1)) - 1
        for value in data {
            guard Int(value) >> from == 0 else { return nil }
            accumulator = ((accumulator << from) | Int(value)) & maxAccumulator
            bits += from
            while bits >= to {
                bits -= to
                out.append(UInt8((accumulator >> bits) & maxValue))
            }
        }
        if pad {
            if bits > 0 { out.append(UInt8((accumulator << (to - bits)) & maxValue)) }
        } else if bits >= from || (accumulator << (to - bits)) & maxValue != 0 {
            return nil
        }
        return out
    }
}
