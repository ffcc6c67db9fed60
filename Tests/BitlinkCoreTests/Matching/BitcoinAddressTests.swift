import BitlinkCore
import Testing

@Suite("Bech32 strings (BIP-173, BIP-350)")
struct Bech32Tests {
    static let validBech32 = [
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    ]

    static let validBech32m = [
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    ]

    @Test(arguments: validBech32)
    func validBech32Strings(_ string: String) throws {
        let decoded = try Bech32.decode(string)
        #expect(decoded.variant == .bech32)
        // Re-encoding gives the lower-case form back.
        #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data, variant: .bech32) == string.lowercased())
    }

    @Test(arguments: validBech32m)
    func validBech32mStrings(_ string: String) throws {
        let decoded = try Bech32.decode(string)
        #expect(decoded.variant == .bech32m)
        #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data, variant: .bech32m) == string.lowercased())
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let string: String
        let error: Bech32.DecodeError
        var testDescription: String { string.unicodeScalars.map { $0.isASCII && $0.value >= 32 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined() }
    }

    static let invalid: [Invalid] = [
        // BIP-173
        Invalid(string: "\u{20}1nwldj5", error: .characterOutOfRange),
        Invalid(string: "\u{7F}1axkwrx", error: .characterOutOfRange),
        Invalid(string: "\u{80}1eym55h", error: .characterOutOfRange),
        Invalid(string: "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
                error: .tooLong),
        Invalid(string: "pzry9x0s0muk", error: .missingSeparator),
        Invalid(string: "1pzry9x0s0muk", error: .emptyHumanReadablePart),
        Invalid(string: "x1b4n0q5v", error: .invalidDataCharacter("b")),
        Invalid(string: "li1dgmt3", error: .checksumTooShort),
        Invalid(string: "de1lg7wt\u{FF}", error: .characterOutOfRange),
        Invalid(string: "A1G7SGD8", error: .invalidChecksum),
        Invalid(string: "10a06t8", error: .emptyHumanReadablePart),
        Invalid(string: "1qzzfhee", error: .emptyHumanReadablePart),
        // BIP-350
        Invalid(string: "\u{20}1xj0phk", error: .characterOutOfRange),
        Invalid(string: "\u{7F}1g6xzxy", error: .characterOutOfRange),
        Invalid(string: "\u{80}1vctc34", error: .characterOutOfRange),
        Invalid(string: "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
                error: .tooLong),
        Invalid(string: "qyrz8wqd2c9m", error: .missingSeparator),
        Invalid(string: "1qyrz8wqd2c9m", error: .emptyHumanReadablePart),
        Invalid(string: "y1b0jsk6g", error: .invalidDataCharacter("b")),
        Invalid(string: "lt1igcx5c0", error: .invalidDataCharacter("i")),
        Invalid(string: "in1muywd", error: .checksumTooShort),
        Invalid(string: "mm1crxm3i", error: .invalidDataCharacter("i")),
        Invalid(string: "au1s5cgom", error: .invalidDataCharacter("o")),
        Invalid(string: "M1VUXWEZ", error: .invalidChecksum),
        Invalid(string: "16plkw9", error: .emptyHumanReadablePart),
        Invalid(string: "1p2gdwpf", error: .emptyHumanReadablePart),
    ]

    @Test(arguments: invalid)
    func invalidStrings(_ vector: Invalid) {
        #expect(throws: vector.error) { try Bech32.decode(vector.string) }
    }
}

@Suite("Bitcoin addresses")
struct BitcoinAddressTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let address: String
        let network: BitcoinAddress.Network
        let kind: BitcoinAddress.Kind
        let scriptPubKey: String
        var testDescription: String { address }
    }

    static let valid: [Valid] = [
        // BIP-350 valid segwit addresses with their scriptPubKeys.
        Valid(address: "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", network: .mainnet, kind: .p2wpkh,
              scriptPubKey: "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
        Valid(address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", network: .testnet, kind: .p2wsh,
              scriptPubKey: "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"),
        Valid(address: "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", network: .mainnet,
              kind: .witness(version: 1, programLength: 40),
              scriptPubKey: "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"),
        Valid(address: "BC1SW50QGDZ25J", network: .mainnet, kind: .witness(version: 16, programLength: 2),
              scriptPubKey: "6002751e"),
        Valid(address: "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", network: .mainnet,
              kind: .witness(version: 2, programLength: 16),
              scriptPubKey: "5210751e76e8199196d454941c45d1b3a323"),
        Valid(address: "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", network: .testnet, kind: .p2wsh,
              scriptPubKey: "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        Valid(address: "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", network: .testnet, kind: .p2tr,
              scriptPubKey: "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        Valid(address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", network: .mainnet, kind: .p2tr,
              scriptPubKey: "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
        // Regtest: the BIP-173 P2WPKH program under the bcrt prefix.
        Valid(address: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", network: .regtest, kind: .p2wpkh,
              scriptPubKey: "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
        // Fixture: a real ckpool user file (parasitepool/para test constant).
        Valid(address: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374", network: .mainnet, kind: .p2wpkh,
              scriptPubKey: "0014e9c75e04b3c5ecc6cef849539c998a927b358ed5"),
        // Base58Check: Bitcoin wiki examples, the genesis coinbase address, fixture users.
        Valid(address: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", network: .mainnet, kind: .p2pkh,
              scriptPubKey: "76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac"),
        Valid(address: "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", network: .mainnet, kind: .p2sh,
              scriptPubKey: "a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87"),
        Valid(address: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", network: .mainnet, kind: .p2pkh,
              scriptPubKey: "76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac"),
        Valid(address: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1", network: .mainnet, kind: .p2pkh,
              scriptPubKey: "76a91453a6fc21fa3ebc1b80a8d9929649b6bc2aaff89688ac"),
        Valid(address: "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", network: .testnet, kind: .p2pkh,
              scriptPubKey: "76a914243f1394f44554f4ce3fd68649c19adc483ce92488ac"),
        Valid(address: "n3GNqMveyvaPvUbH469vDRadqpJMPc84JA", network: .testnet, kind: .p2pkh,
              scriptPubKey: "76a914ee9103399bfb42a091a7b537bed4a8552e9611ca88ac"),
        Valid(address: "2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", network: .testnet, kind: .p2sh,
              scriptPubKey: "a9144e9f39ca4688ff102128ea4ccda34105324305b087"),
        // All-zero hash: leading 1s become leading zero bytes.
        Valid(address: "1111111111111111111114oLvT2", network: .mainnet, kind: .p2pkh,
              scriptPubKey: "76a914000000000000000000000000000000000000000088ac"),
    ]

    @Test(arguments: valid)
    func validAddress(_ vector: Valid) throws {
        let address = try BitcoinAddress.parse(vector.address)
        #expect(address.network == vector.network)
        #expect(address.kind == vector.kind)
        #expect(SHA256.hex(address.scriptPubKey) == vector.scriptPubKey)
    }

    @Test func bech32IsCanonicallyLowerCase() throws {
        let upper = try BitcoinAddress.parse("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
        let lower = try BitcoinAddress.parse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        #expect(upper.string == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
        #expect(upper == lower)
        #expect(upper.isSegwit)
    }

    @Test func base58KeepsItsCase() throws {
        let address = try BitcoinAddress.parse("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
        #expect(address.string == "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
        #expect(!address.isSegwit)
        // Changing the case of one Base58 character changes the value: refused, not equal.
        #expect(BitcoinAddress("1bvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2") == nil)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let address: String
        let error: AddressError
        let why: String
        var testDescription: String { "\(address) (\(why))" }
    }

    static let invalid: [Invalid] = [
        // BIP-350 invalid segwit addresses.
        Invalid(address: "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
                error: .unknownPrefix("tc"), why: "invalid human-readable part"),
        Invalid(address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
                error: .wrongChecksumVariant(expected: .bech32m), why: "Bech32 instead of Bech32m"),
        Invalid(address: "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
                error: .wrongChecksumVariant(expected: .bech32m), why: "Bech32 instead of Bech32m"),
        Invalid(address: "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
                error: .wrongChecksumVariant(expected: .bech32m), why: "Bech32 instead of Bech32m"),
        Invalid(address: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
                error: .wrongChecksumVariant(expected: .bech32), why: "Bech32m instead of Bech32"),
        Invalid(address: "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
                error: .wrongChecksumVariant(expected: .bech32), why: "Bech32m instead of Bech32"),
        Invalid(address: "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
                error: .invalidCharacter("o"), why: "invalid character in checksum"),
        Invalid(address: "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
                error: .invalidWitnessVersion(17), why: "invalid witness version"),
        Invalid(address: "bc1pw5dgrnzv", error: .invalidProgramLength(1), why: "program of 1 byte"),
        Invalid(address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
                error: .invalidProgramLength(41), why: "program of 41 bytes"),
        Invalid(address: "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", error: .invalidProgramLength(16),
                why: "v0 program must be 20 or 32 bytes (BIP-141)"),
        Invalid(address: "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
                error: .mixedCase, why: "mixed case"),
        Invalid(address: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
                error: .invalidPadding, why: "zero padding of more than 4 bits"),
        Invalid(address: "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
                error: .invalidPadding, why: "non-zero padding in 8-to-5 conversion"),
        Invalid(address: "bc1gmk9yu", error: .emptyData, why: "empty data section"),
        // BIP-173 invalid addresses.
        Invalid(address: "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", error: .unknownPrefix("tc"),
                why: "invalid human-readable part"),
        Invalid(address: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", error: .badChecksum, why: "invalid checksum"),
        Invalid(address: "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", error: .invalidWitnessVersion(17),
                why: "invalid witness version"),
        Invalid(address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", error: .mixedCase,
                why: "mixed case"),
        Invalid(address: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", error: .invalidPadding,
                why: "non-zero padding in 8-to-5 conversion"),
        // BIP-173 valid v1+ vectors that BIP-350 made invalid (Bech32 checksum on v1, v16, v2).
        Invalid(address: "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
                error: .wrongChecksumVariant(expected: .bech32m), why: "BIP-173 v1 vector, now Bech32m"),
        Invalid(address: "BC1SW50QA3JX3S", error: .wrongChecksumVariant(expected: .bech32m),
                why: "BIP-173 v16 vector, now Bech32m"),
        Invalid(address: "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", error: .wrongChecksumVariant(expected: .bech32m),
                why: "BIP-173 v2 vector, now Bech32m"),
        // Other coins and typos.
        Invalid(address: "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9", error: .unknownPrefix("ltc"),
                why: "a Litecoin address"),
        Invalid(address: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef375", error: .badChecksum,
                why: "last character changed"),
        Invalid(address: "bc1...", error: .invalidCharacter("."), why: "anonymised fixture workername"),
        // Base58Check.
        Invalid(address: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", error: .badChecksum, why: "last character changed"),
        Invalid(address: "1bvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", error: .badChecksum, why: "case of one character changed"),
        Invalid(address: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNV0", error: .invalidCharacter("0"), why: "0 is not Base58"),
        Invalid(address: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVl", error: .invalidCharacter("l"), why: "l is not Base58"),
        Invalid(address: "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ", error: .badLength,
                why: "a WIF private key, not an address"),
        Invalid(address: "1111111111111111111111111111111111", error: .badChecksum, why: "all ones"),
        Invalid(address: "1", error: .badLength, why: "too short"),
        Invalid(address: "", error: .empty, why: "empty"),
        Invalid(address: " 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", error: .invalidCharacter(" "),
                why: "spaces are not trimmed at this level"),
        Invalid(address: String(repeating: "1", count: 91), error: .tooLong, why: "longer than any address"),
    ]

    @Test(arguments: invalid)
    func invalidAddress(_ vector: Invalid) {
        #expect(throws: vector.error) { try BitcoinAddress.parse(vector.address) }
        #expect(BitcoinAddress(vector.address) == nil)
    }

    @Test func base58RoundTrip() throws {
        let payload: [UInt8] = [0x00] + [UInt8](repeating: 0xAB, count: 20)
        let text = Base58.encodeCheck(payload)
        #expect(try Base58.decodeCheck(text) == payload)
        #expect(Base58.encode([0, 0, 1]) == "112")
        #expect(Base58.decode("112") == [0, 0, 1])
    }
}

@Suite("Wallet identity classification")
struct WalletIdentityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: String  // "address:<canonical>", "account:<name>" or the error message
        var testDescription: String { "'\(text)'" }
    }

    static let cases: [Case] = [
        Case(text: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374", expected: "address:bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef374"),
        Case(text: "  BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4\n",
             expected: "address:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
        Case(text: "18dK8EfyepKuS74fs27iuDJWoGUT4rPto1", expected: "address:18dK8EfyepKuS74fs27iuDJWoGUT4rPto1"),
        Case(text: "antminer_1", expected: "account:antminer_1"),
        Case(text: "CosmosCapitalFund", expected: "account:CosmosCapitalFund"),
        Case(text: "asic-rs", expected: "account:asic-rs"),
        Case(text: "002m20s", expected: "account:002m20s"),
        Case(text: "", expected: "empty wallet: give a Bitcoin address or a pool account name"),
        Case(text: "   ", expected: "empty wallet: give a Bitcoin address or a pool account name"),
        Case(text: "bc1qa8r4up9nchkvdnhcf9feexv2jfantrk48ef375", expected: "invalid Bitcoin address: bad checksum"),
        Case(text: "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", expected: "invalid Bitcoin address: bad checksum"),
        Case(text: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
             expected: "invalid Bitcoin address: bad checksum (Bech32 where Bech32m is required)"),
        Case(text: "ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9",
             expected: "invalid Bitcoin address: unknown prefix 'ltc' (not bc, tb or bcrt)"),
        Case(text: "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
             expected: "invalid Bitcoin address: mixed upper and lower case"),
        Case(text: "acme.rig1",
             expected: "invalid pool account name: contains '.', which separates the worker name; give the account alone"),
        Case(text: "Yop yop", expected: "invalid pool account name: contains a space"),
        Case(text: "!non-existent-user!",
             expected: "invalid pool account name: invalid character '!' (use letters, digits, '_' and '-')"),
        Case(text: String(repeating: "a", count: 65),
             expected: "invalid pool account name: too long (65 characters, at most 64)"),
        Case(text: String(repeating: "a", count: 64), expected: "account:" + String(repeating: "a", count: 64)),
    ]

    @Test(arguments: cases)
    func classify(_ testCase: Case) {
        let outcome: String
        do {
            switch try WalletIdentity.parse(testCase.text) {
            case let .address(address): outcome = "address:" + address.string
            case let .account(name): outcome = "account:" + name
            }
        } catch {
            outcome = error.description
        }
        #expect(outcome == testCase.expected)
    }

    @Test func accountsCompareCaseInsensitively() {
        #expect(WalletIdentity("Acme")?.matchKey == WalletIdentity("acme")?.matchKey)
        #expect(WalletIdentity("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")?.matchKey == "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")
    }
}
