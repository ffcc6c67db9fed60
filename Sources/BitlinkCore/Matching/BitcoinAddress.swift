/// A validated Bitcoin address: Base58Check (P2PKH, P2SH) or a Bech32/Bech32m segwit address.
///
/// Two addresses are equal when their canonical strings are: Bech32 is case-insensitive and
/// kept lower-cased; Base58 is case-sensitive and kept as written (changing the case of a
/// Base58 character changes its value, so a differently cased string is a different address,
/// or more likely a bad checksum).
public struct BitcoinAddress: Sendable, Hashable, CustomStringConvertible {
    /// The chain an address belongs to, from its Base58 version byte or Bech32 prefix.
    public enum Network: String, Sendable, Equatable {
        /// Base58 versions 0x00/0x05 and the `bc` prefix.
        case mainnet
        /// Base58 versions 0x6f/0xc4 and the `tb` prefix; signet and testnet4 share them.
        case testnet
        /// The `bcrt` prefix. Legacy regtest addresses use the testnet versions and read as `.testnet`.
        case regtest
    }

    /// The output type the address pays to.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// Pay to public key hash (`1...`, testnet `m`/`n`).
        case p2pkh
        /// Pay to script hash (`3...`, testnet `2...`).
        case p2sh
        /// Segwit v0, 20-byte program.
        case p2wpkh
        /// Segwit v0, 32-byte program.
        case p2wsh
        /// Segwit v1, 32-byte program (taproot).
        case p2tr
        /// Any other valid segwit version/length (BIP-350 asks to accept them as destinations).
        case witness(version: Int, programLength: Int)

        /// The usual name of the output type (`P2WPKH`, `segwit v2 (16-byte program)`).
        public var description: String {
            switch self {
            case .p2pkh: "P2PKH"
            case .p2sh: "P2SH"
            case .p2wpkh: "P2WPKH"
            case .p2wsh: "P2WSH"
            case .p2tr: "P2TR"
            case let .witness(version, length): "segwit v\(version) (\(length)-byte program)"
            }
        }
    }

    /// The canonical text: lower case for Bech32, as given for Base58.
    public let string: String
    /// The chain, from the version byte or prefix.
    public let network: Network
    /// The output type.
    public let kind: Kind
    /// The 20-byte hash (Base58) or the witness program (segwit).
    public let payload: [UInt8]

    /// The canonical text.
    public var description: String { string }

    /// Whether the address is Bech32/Bech32m (compared case-insensitively) rather than Base58.
    public var isSegwit: Bool {
        switch kind {
        case .p2pkh, .p2sh: false
        default: true
        }
    }

    /// The output script the address stands for, as hex in BIP-173/350 test vectors.
    public var scriptPubKey: [UInt8] {
        switch kind {
        case .p2pkh: [0x76, 0xa9, 0x14] + payload + [0x88, 0xac]
        case .p2sh: [0xa9, 0x14] + payload + [0x87]
        case .p2wpkh, .p2wsh: [0x00, UInt8(payload.count)] + payload
        case .p2tr: [0x51, UInt8(payload.count)] + payload
        case let .witness(version, _): [UInt8(0x50 + version), UInt8(payload.count)] + payload
        }
    }

    /// Parses an address; nil when it is not a valid Bitcoin address (see `parse` for why).
    /// - Parameter string: the address exactly; surrounding spaces are not removed.
    public init?(_ string: some StringProtocol) {
        guard let address = try? Self.parse(string) else { return nil }
        self = address
    }

    private init(string: String, network: Network, kind: Kind, payload: [UInt8]) {
        self.string = string
        self.network = network
        self.kind = kind
        self.payload = payload
    }

    // Well above the 62 characters of a P2WSH/P2TR address, and bounds the quadratic Base58 work.
    private static let maxLength = 90

    /// Parses an address, saying why it is refused.
    /// - Parameter string: the address exactly; surrounding spaces are not removed.
    /// - Returns: the address with its network and kind.
    /// - Throws: `AddressError` naming the problem (bad checksum, unknown prefix, ...).
    public static func parse(_ string: some StringProtocol) throws(AddressError) -> BitcoinAddress {
        guard !string.isEmpty else { throw .empty }
        guard string.utf8.count <= maxLength else { throw .tooLong }
        let lower = string.lowercased()
        // Legacy addresses start with 1, 3, m, n or 2, so these prefixes are always Bech32.
        if lower.hasPrefix("bc1") || lower.hasPrefix("tb1") || lower.hasPrefix("bcrt1") {
            return try parseSegwit(string)
        }
        do {
            return try parseBase58(string)
        } catch let base58Error {
            // Not Base58: if it is a well-formed Bech32 string after all, the prefix is what is
            // wrong (`tc1...`, `ltc1...`), which is the more useful message.
            if case .invalidCharacter = base58Error, let decoded = try? Bech32.decode(string) {
                throw .unknownPrefix(decoded.hrp)
            }
            throw base58Error
        }
    }

    private static func parseBase58(_ string: some StringProtocol) throws(AddressError) -> BitcoinAddress {
        let payload: [UInt8]
        do {
            payload = try Base58.decodeCheck(string)
        } catch {
            switch error {
            case let .invalidCharacter(ch): throw .invalidCharacter(ch)
            case .tooShort: throw .badLength
            case .badChecksum: throw .badChecksum
            }
        }
        // Version byte plus a 20-byte hash; anything else (a WIF private key, an xpub) is refused.
        guard payload.count == 21 else { throw .badLength }
        let hash = Array(payload[1...])
        let text = String(string)
        switch payload[0] {
        case 0x00: return BitcoinAddress(string: text, network: .mainnet, kind: .p2pkh, payload: hash)
        case 0x05: return BitcoinAddress(string: text, network: .mainnet, kind: .p2sh, payload: hash)
        case 0x6f: return BitcoinAddress(string: text, network: .testnet, kind: .p2pkh, payload: hash)
        case 0xc4: return BitcoinAddress(string: text, network: .testnet, kind: .p2sh, payload: hash)
        default: throw .unknownVersion(payload[0])
        }
    }

    private static func parseSegwit(_ string: some StringProtocol) throws(AddressError) -> BitcoinAddress {
        // Name a stray character before the length checks would call a string just "wrong
        // length" (`bc1...` as anonymised captures write addresses, `bc1q..._rig1`). The
        // prefix is known here, so the data part starts right after it.
        let prefixLength = string.lowercased().hasPrefix("bcrt1") ? 5 : 3
        if let bad = string.dropFirst(prefixLength).first(where: { ch in
            !(ch.asciiValue.map { Bech32.charset.contains($0 | 0x20) } ?? false)
        }) {
            throw .invalidCharacter(bad)
        }
        let decoded: (hrp: String, data: [UInt8], variant: Bech32.Variant)
        do {
            decoded = try Bech32.decode(string)
        } catch {
            switch error {
            case .characterOutOfRange: throw .invalidCharacter(string.first { !$0.isASCII || $0.isWhitespace } ?? "?")
            case .mixedCase: throw .mixedCase
            case .tooLong: throw .tooLong
            case .missingSeparator, .emptyHumanReadablePart, .checksumTooShort: throw .badLength
            case let .invalidDataCharacter(ch): throw .invalidCharacter(ch)
            case .invalidChecksum: throw .badChecksum
            }
        }
        let network: Network
        switch decoded.hrp {
        case "bc": network = .mainnet
        case "tb": network = .testnet
        case "bcrt": network = .regtest
        default: throw .unknownPrefix(decoded.hrp)
        }
        guard let version = decoded.data.first else { throw .emptyData }
        guard version <= 16 else { throw .invalidWitnessVersion(Int(version)) }
        // BIP-350: v0 keeps the original Bech32 checksum, every later version uses Bech32m.
        let expected: Bech32.Variant = version == 0 ? .bech32 : .bech32m
        guard decoded.variant == expected else { throw .wrongChecksumVariant(expected: expected) }
        guard let program = Bech32.convertBits(Array(decoded.data.dropFirst()), from: 5, to: 8, pad: false)
        else { throw .invalidPadding }
        guard (2...40).contains(program.count) else { throw .invalidProgramLength(program.count) }
        let kind: Kind
        switch (version, program.count) {
        case (0, 20): kind = .p2wpkh
        case (0, 32): kind = .p2wsh
        case (0, _): throw .invalidProgramLength(program.count)  // BIP-141 allows only 20 or 32
        case (1, 32): kind = .p2tr
        default: kind = .witness(version: Int(version), programLength: program.count)
        }
        return BitcoinAddress(string: string.lowercased(), network: network, kind: kind, payload: program)
    }
}

/// Why a string is not a valid Bitcoin address. `description` completes
/// "invalid Bitcoin address: ..." in messages.
public enum AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing to parse.
    case empty
    /// Longer than any address (90 characters, the Bech32 limit).
    case tooLong
    /// A character that Base58 or Bech32 does not use (`0`, `O`, `I`, `l` in Base58; `b`, `i`, `o`, `1` in Bech32 data).
    case invalidCharacter(Character)
    /// The Base58Check or Bech32 checksum does not verify: usually a typo.
    case badChecksum
    /// The decoded payload has the wrong size for an address.
    case badLength
    /// A Base58 version byte that is not a Bitcoin address version (0x00, 0x05, 0x6f, 0xc4).
    case unknownVersion(UInt8)
    /// Bech32 with both upper and lower case letters.
    case mixedCase
    /// A Bech32 prefix other than `bc`, `tb` or `bcrt` (another coin's address, usually).
    case unknownPrefix(String)
    /// Bech32 with no witness version or program.
    case emptyData
    /// A witness version above 16.
    case invalidWitnessVersion(Int)
    /// A witness program outside 2-40 bytes, or not 20/32 bytes for v0.
    case invalidProgramLength(Int)
    /// Leftover bits after regrouping the program are not zero, or too many.
    case invalidPadding
    /// Bech32 where Bech32m is required (segwit v1+), or the reverse (v0).
    case wrongChecksumVariant(expected: Bech32.Variant)

    /// A short reason, for example `bad checksum`.
    public var description: String {
        switch self {
        case .empty: "empty"
        case .tooLong: "too long"
        case let .invalidCharacter(ch): "invalid character '\(ch)'"
        case .badChecksum: "bad checksum"
        case .badLength: "wrong length"
        case let .unknownVersion(version):
            "unknown version byte 0x" + String(version, radix: 16, uppercase: false)
        case .mixedCase: "mixed upper and lower case"
        case let .unknownPrefix(hrp): "unknown prefix '\(hrp)' (not bc, tb or bcrt)"
        case .emptyData: "no witness program"
        case let .invalidWitnessVersion(version): "invalid witness version \(version)"
        case let .invalidProgramLength(length): "invalid witness program length \(length)"
        case .invalidPadding: "invalid padding"
        case let .wrongChecksumVariant(expected):
            expected == .bech32m ? "bad checksum (Bech32 where Bech32m is required)"
                : "bad checksum (Bech32m where Bech32 is required)"
        }
    }
}
