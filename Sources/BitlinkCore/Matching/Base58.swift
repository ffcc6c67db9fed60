/// Base58 and Base58Check as Bitcoin uses them for legacy (P2PKH, P2SH) addresses.
public enum Base58 {
    /// Bitcoin's alphabet: no `0`, `O`, `I` or `l`.
    public static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (i, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(i) }
        return table
    }()

    /// Why a Base58Check string was refused.
    public enum CheckError: Error, Sendable, Equatable {
        /// A character outside the Base58 alphabet (such as `0`, `O`, `I`, `l`).
        case invalidCharacter(Character)
        /// Fewer than the 4 checksum bytes plus one payload byte.
        case tooShort
        /// The last 4 bytes are not the start of the double SHA-256 of the rest.
        case badChecksum
    }

    /// Decodes plain Base58 (no checksum).
    /// - Parameter string: Base58 text; leading `1`s become leading zero bytes.
    /// - Returns: the bytes, or nil when a character is outside the alphabet.
    public static func decode(_ string: some StringProtocol) -> [UInt8]? {
        let bytes = Array(string.utf8)
        var leadingZeros = 0
        while leadingZeros < bytes.count, bytes[leadingZeros] == UInt8(ascii: "1") { leadingZeros += 1 }
        // Big-endian base-256 number, grown as digits are folded in.
        var number: [UInt8] = []
        for byte in bytes[leadingZeros...] {
            guard byte < 128, values[Int(byte)] >= 0 else { return nil }
            var carry = Int(values[Int(byte)])
            for i in stride(from: number.count - 1, through: 0, by: -1) {
                carry += Int(number[i]) * 58
                number[i] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                number.insert(UInt8(carry & 0xFF), at: 0)
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: leadingZeros) + number
    }

    /// Encodes bytes as plain Base58 (no checksum).
    /// - Parameter bytes: the payload; leading zero bytes become leading `1`s.
    /// - Returns: the Base58 text.
    public static func encode(_ bytes: [UInt8]) -> String {
        var leadingZeros = 0
        while leadingZeros < bytes.count, bytes[leadingZeros] == 0 { leadingZeros += 1 }
        var digits: [UInt8] = []  // base-58 digits, least significant first
        for byte in bytes[leadingZeros...] {
            var carry = Int(byte)
            for i in 0..<digits.count {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        var out = [UInt8](repeating: UInt8(ascii: "1"), count: leadingZeros)
        for digit in digits.reversed() { out.append(alphabet[Int(digit)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes Base58Check: the payload followed by the first 4 bytes of its double SHA-256.
    /// - Parameter string: Base58Check text.
    /// - Returns: the payload without the checksum (version byte included).
    /// - Throws: `CheckError` naming the first problem found.
    public static func decodeCheck(_ string: some StringProtocol) throws(CheckError) -> [UInt8] {
        guard let bytes = decode(string) else {
            let bad = string.first { ch in
                guard let ascii = ch.asciiValue, ascii < 128 else { return true }
                return values[Int(ascii)] < 0
            }
            throw .invalidCharacter(bad ?? "?")
        }
        guard bytes.count >= 5 else { throw .tooShort }
        let payload = Array(bytes[..<(bytes.count - 4)])
        let checksum = SHA256.doubleHash(payload).prefix(4)
        guard checksum.elementsEqual(bytes[(bytes.count - 4)...]) else { throw .badChecksum }
        return payload
    }

    /// Encodes a payload as Base58Check.
    /// - Parameter payload: version byte and data.
    /// - Returns: Base58 of the payload plus its 4-byte double-SHA-256 checksum.
    public static func encodeCheck(_ payload: [UInt8]) -> String {
        encode(payload + SHA256.doubleHash(payload).prefix(4))
    }
}
