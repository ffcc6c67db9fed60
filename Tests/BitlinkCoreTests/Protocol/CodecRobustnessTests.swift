import Testing

@testable import BitlinkCore

/// Every codec is fed its fixtures whole, cut byte by byte (every prefix), and cut at
/// seeded random points, after NIO's `ByteToMessageDecoderVerifier` (conventions.md I.2).
/// A cut reply must throw a typed `ProtocolError` (never crash, never hang), and a prefix
/// of a readable document must be reported as truncated, not as garbage.
@Suite("Codec robustness")
struct CodecRobustnessTests {
    static let jsonFixtures = Fixtures.files(extensions: ["json"])
        .filter { !$0.hasSuffix("rest_actions_locate.json") }  // a bare `false`: its prefixes are words
    static let textFixtures = [
        "avalon/Mini3_fw25011701/version.txt", "avalon/Mini3_fw25011701/devdetails.txt",
    ]

    /// Prefix lengths to try: every length for small files, an even spread for large ones.
    static func cutPoints(_ count: Int, limit: Int = 600) -> [Int] {
        if count <= limit { return Array(0..<count) }
        let step = max(1, count / limit)
        return Array(stride(from: 0, to: count, by: step)) + Array(max(0, count - 64)..<count)
    }

    @Test(arguments: jsonFixtures)
    func everyPrefixOfAJSONFixtureIsTruncated(path: String) throws {
        let bytes = Fixtures.bytes(path)
        let whole = try JSONParser.parse(bytes)
        // A seed derived from the path (FNV-1a), so every run cuts at the same points.
        var generator = SeededGenerator(seed: path.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 })
        let randomCuts = (0..<20).map { _ in Int.random(in: 0..<bytes.count, using: &generator) }
        let firstOpen = bytes.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) ?? bytes.count
        // Every prefix of small files; an even spread (bounded work) for large ones.
        let limit = min(300, max(60, 1_500_000 / max(1, bytes.count)))
        for (step, length) in (Self.cutPoints(bytes.count, limit: limit) + randomCuts).enumerated() {
            let prefix = Array(bytes[..<length])
            do {
                let value = try JSONParser.parse(prefix)
                // Only a prefix that is itself a whole document (trailing whitespace cut) may parse.
                if value != whole { Issue.record("\(path) cut at \(length) parsed to something else") }
            } catch {
                switch error {
                case .truncated, .empty: break
                case .invalid(let why, let offset):
                    Issue.record("\(path) cut at \(length): invalid (\(why) at \(offset)) instead of truncated")
                }
            }
            // With salvage, a cut document still gives a value once its first container opened.
            if length > firstOpen, step % 2 == 0 {
                do { _ = try JSONParser.parse(prefix, salvage: true) } catch {
                    Issue.record("\(path) salvage at \(length): \(error)")
                }
            }
        }
    }

    /// The fixtures that are malformed on purpose (SOURCES.md), cut at every single byte.
    @Test(arguments: [
        "antminer/L3+_foreman/stats.json", "antminer/D3-Blissz_foreman/stats.json",
        "antminer/S9_Hiveon_foreman/stats.json", "antminer/Z11_chipless_foreman/stats.json",
        "antminer/S19-Pro_missing-fan-ctrl_foreman/http_cgi-bin_get_miner_conf.cgi.json",
        "antminer/S19-Pro_new_foreman/http_cgi-bin_get_miner_conf.cgi.json",
        "whatsminer/M20S_luci-era-fw_foreman/summary.json",
        "avalon/AvalonMiner-1246-81_fw21030201/version.wire.txt",
    ])
    func everyPrefixOfAMalformedFixtureIsTruncated(path: String) throws {
        let bytes = Fixtures.bytes(path)
        let whole = try JSONParser.parse(bytes)
        for length in 0..<bytes.count {
            do {
                let value = try JSONParser.parse(Array(bytes[..<length]))
                if value != whole { Issue.record("\(path) cut at \(length) parsed to something else") }
            } catch {
                if !(error.isTruncated || error == .empty) { Issue.record("\(path) cut at \(length): \(error)") }
            }
        }
    }

    @Test(arguments: jsonFixtures.filter {
        !$0.contains("+") && !$0.hasPrefix("epic/") && !$0.hasPrefix("goldshell/")
            && ["/version", "/summary", "/pools", "/stats", "/devs", "/devdetails"].contains(where: $0.contains)
    })
    func everyPrefixOfACGMinerReplyThrowsATypedError(path: String) throws {
        let bytes = Fixtures.bytes(path)
        let whole = try CGMinerReply.decode(bytes)
        for length in Self.cutPoints(bytes.count, limit: min(200, max(40, 400_000 / max(1, bytes.count)))) {
            do {
                let reply = try CGMinerReply.decode(Array(bytes[..<length]))
                // Only the whole reply minus trailing whitespace may read.
                if reply != whole { Issue.record("\(path) cut at \(length) read as another reply") }
            } catch {
                if !(error.isTruncated || error == .empty) { Issue.record("\(path) cut at \(length): \(error)") }
            }
        }
    }

    @Test(arguments: textFixtures)
    func everyPrefixOfATextReplyIsTruncated(path: String) throws {
        let bytes = Fixtures.bytes(path)
        _ = try CGMinerTextReply.decode(bytes)
        for length in 0..<bytes.count {
            do {
                _ = try CGMinerTextReply.decode(Array(bytes[..<length]))
                // A cut right after a `|` is indistinguishable from a shorter reply: the text
                // form has no closing delimiter for the whole reply.
                if bytes[length - 1] != UInt8(ascii: "|") { Issue.record("\(path) cut at \(length) parsed") }
            } catch {
                #expect(error == .empty || error.isTruncated, "\(path) cut at \(length): \(error)")
            }
            // Salvage never throws once the STATUS segment is complete.
            if let bar = bytes.firstIndex(of: UInt8(ascii: "|")), length > bar {
                #expect(throws: Never.self) { try CGMinerTextReply.decode(Array(bytes[..<length]), salvage: true) }
            }
        }
    }

    @Test func mmIDStringsSurviveEveryCut() throws {
        let reply = try CGMinerReply.decode(Fixtures.bytes("avalon/Avalon-Q_fw25052801/stats.json"))
        for key in ["MM ID0:Summary", "HBinfo"] {
            let text = try #require(reply.first("STATS")?[key]?.stringValue)
            let whole = AvalonMMID.parse(text)
            let utf8 = Array(text.utf8)
            for length in 0..<utf8.count {
                let cut = AvalonMMID.parse(String(decoding: utf8[..<length], as: UTF8.self))
                #expect(cut.fields.count <= whole.fields.count)
                // Complete tokens of a cut string are the whole string's tokens.
                for (index, field) in cut.fields.enumerated() where index < cut.fields.count - 1 {
                    #expect(field == whole.fields[index])
                }
            }
        }
    }

    @Test func jsonpSurvivesEveryCut() throws {
        let bytes = Fixtures.bytes("avalon/A1047_web-cgi_foreman/http_get_minerinfo.cgi.txt")
        for length in 0..<bytes.count - 3 {
            #expect(throws: ProtocolError.self) { try JSONP.parse(Array(bytes[..<length])) }
        }
    }

    @Test func randomGarbageNeverCrashesAndThrowsTypedErrors() {
        var generator = SeededGenerator(seed: 0xB17_11C)
        let alphabet = Array(#"{}[],:"\ abcdefnrtu0123456789.-+eE"#.utf8) + [0, 0x0A, 0xFF, 0xC3]
        for round in 0..<3000 {
            let length = Int.random(in: 0..<64, using: &generator)
            let bytes = (0..<length).map { _ in
                round % 2 == 0 ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try JSONParser.parse(bytes) } catch { _ = error.description }
            do { _ = try JSONParser.parse(bytes, salvage: true) } catch { _ = error.description }
            do { _ = try CGMinerReply.decode(bytes) } catch { _ = error.description }
            do { _ = try CGMinerTextReply.decode(Array("STATUS=S,".utf8) + bytes) } catch { _ = error.description }
            do { _ = try JSONP.parse(Array("cb(".utf8) + bytes) } catch { _ = error.description }
            _ = AvalonMMID.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func garbageInsideAFixtureIsInvalidNotTruncated() throws {
        // Replace one structural byte of a real reply: the parser must point at the damage.
        var bytes = Fixtures.bytes("antminer/S19-Pro_stock-fw-CompileTime-2022-12-06/summary.json")
        let colon = try #require(bytes.firstIndex(of: UInt8(ascii: ":")))
        bytes[colon] = UInt8(ascii: "#")
        do {
            _ = try JSONParser.parse(bytes)
            Issue.record("damaged reply parsed")
        } catch {
            #expect(error == .invalid("expected ':' after a member name", offset: colon))
        }
    }

    @Test func largeRepliesParseQuickly() throws {
        // 64 copies of the Whatsminer M20S stats (40 kB each) in one array: 2.5 MB.
        let one = Fixtures.bytes("whatsminer/M20S_old-fw_foreman/stats.json")
        var big: [UInt8] = [UInt8(ascii: "[")]
        for index in 0..<64 {
            if index > 0 { big.append(UInt8(ascii: ",")) }
            big.append(contentsOf: one)
        }
        big.append(UInt8(ascii: "]"))
        let clock = ContinuousClock()
        var count = 0
        let elapsed = clock.measure { count = (try? JSONParser.parse(big))?.arrayValue?.count ?? -1 }
        #expect(count == 64)
        #expect(elapsed < .seconds(5))
    }
}
