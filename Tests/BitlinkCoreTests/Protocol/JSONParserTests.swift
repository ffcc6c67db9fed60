import Testing

@testable import BitlinkCore

@Suite("Lenient JSON parser")
struct JSONParserTests {
    // MARK: Standard JSON

    @Test func readsScalarsKeepingIntegersApartFromReals() throws {
        let value = try JSONParser.parse(#"{"a":42,"b":-7,"c":1.5,"d":2e3,"e":true,"f":false,"g":null,"h":"x","i":9223372036854775807}"#)
        #expect(value["a"] == .int(42))
        #expect(value["b"] == .int(-7))
        #expect(value["c"] == .double(1.5))
        #expect(value["d"] == .double(2000))
        #expect(value["e"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["g"] == .null)
        #expect(value["h"] == .string("x"))
        #expect(value["i"] == .int(Int64.max))
    }

    @Test func integersTooLargeForInt64BecomeDoubles() throws {
        let value = try JSONParser.parse("[9223372036854775808, -9223372036854775808, 123456789012345678901234]")
        #expect(value[0] == .double(9_223_372_036_854_775_808))
        #expect(value[1] == .int(Int64.min))
        #expect(value[2]?.doubleValue == 1.2345678901234568e23)
    }

    @Test(arguments: [
        ("0.1", 0.1), ("68710597.19", 68_710_597.19), ("1e-7", 1e-7), ("-0.000001", -0.000001),
        ("3.14159265358979323846", 3.141592653589793), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("126271255279306.98437500", 126_271_255_279_306.98), ("0E-8", 0),
    ])
    func readsRealsExactly(text: String, expected: Double) throws {
        #expect(try JSONParser.parse(text) == .double(expected))
    }

    @Test func readsEscapesAndUnicode() throws {
        let value = try JSONParser.parse(#"["a\"b\\c\/d\n\t", "\u00e9\u20ac", "\ud83d\ude00", "\ud800x", "caf\u00E9"]"#)
        #expect(value[0] == .string("a\"b\\c/d\n\t"))
        #expect(value[1] == .string("é€"))
        #expect(value[2] == .string("😀"))
        #expect(value[3] == .string("\u{FFFD}x"))
        #expect(value[4] == .string("café"))
    }

    @Test func keepsObjectKeyOrderAndDuplicates() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":2,"b":3}"#)
        #expect(value.objectValue?.keys == ["b", "a", "b"])
        #expect(value["b"] == .int(1))
    }

    @Test func acceptsAByteOrderMarkAndSurroundingWhitespace() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array(" \n{\"a\":1}\r\n\t".utf8)) == ["a": 1])
    }

    // MARK: Quirks from protocols.md section 1, each with the fixture that shows it

    @Test func stopsAtTheTrailingNULOfTheWireFormat() throws {
        // cgminer api.c sends JSON + one NUL; version.wire.txt keeps the exact wire bytes.
        let wire = Fixtures.bytes("avalon/AvalonMiner-1246-81_fw21030201/version.wire.txt")
        #expect(wire.last == 0)
        let plain = Fixtures.bytes("avalon/AvalonMiner-1246-81_fw21030201/version.json")
        #expect(try JSONParser.parse(wire) == JSONParser.parse(plain))
        #expect(try JSONParser.parse(Array("{\"a\":1}".utf8) + [0, 0, 0]) == ["a": 1])
        // Anything after the first NUL is not part of the reply.
        #expect(try JSONParser.parse(Array("{\"a\":1}".utf8) + [0] + Array("garbage".utf8)) == ["a": 1])
    }

    @Test func repairsMissingCommaBetweenObjects() throws {
        // bmminer `stats`: `"Type":"Antminer L3+"}{"STATS":0,...` (SOURCES.md: contains "}{").
        for path in [
            "antminer/L3+_foreman/stats.json", "antminer/S9_Hiveon_foreman/stats.json",
            "antminer/D3-Blissz_foreman/stats.json", "antminer/Z11_foreman/stats.json",
            "antminer/S9-Pro_MSKminer-v5.1_foreman/stats.json", "antminer/S9_vnish-3.8.6_NiceHash_foreman/stats.json",
        ] {
            let value = try JSONParser.parse(Fixtures.bytes(path))
            let stats = try #require(value["STATS"]?.arrayValue)
            #expect(stats.count == 2, "\(path)")
            #expect(stats[0]["Type"]?.stringValue?.hasPrefix("Antminer") == true, "\(path)")
            #expect(stats[1]["STATS"] == .int(0), "\(path)")
        }
        // Also between members of a multi-command reply (minera issue #194, Antminer D3 Blissz).
        let multi = try JSONParser.parse(#"{"stats":[{"STATUS":[{"STATUS":"S"}],"STATS":[{"Type":"Antminer D3"}{"STATS":0}]}{"STATUS":[]}],"id":1}"#)
        #expect(multi["stats"]?.arrayValue?.count == 2)
        #expect(multi["stats"]?[0]?["STATS"]?.arrayValue?.count == 2)
    }

    @Test func acceptsTrailingAndLeadingCommas() throws {
        // btminer `,}` (pyasic repair 2), `[,{` (repair 5), and doubled commas.
        #expect(try JSONParser.parse(#"{"a":1,}"#) == ["a": 1])
        #expect(try JSONParser.parse(#"[1,2,]"#) == [1, 2])
        #expect(try JSONParser.parse(#"{"POOLS":[,{"POOL":0}]}"#) == ["POOLS": [["POOL": 0]]])
        #expect(try JSONParser.parse(#"{"a":1,,"b":2}"#) == ["a": 1, "b": 2])
        // JSONP body with `"sys_status":"1", }` (Tests/Fixtures/avalon/A1047_web-cgi_foreman).
        #expect(try JSONParser.parse(#"{"version":"1", "sys_status":"1", }"#)["sys_status"] == "1")
    }

    @Test func readsAReplyStartingWithAComma() throws {
        // Avalon garbage `,"id":1}`: pyasic replaces the leading comma with `{` (repair 8).
        #expect(try JSONParser.parse(#","id":1}"#) == ["id": 1])
    }

    @Test func readsUnquotedNanAndInfinity() throws {
        // `"MHS av":nan` (Avalon A10xx, protocols.md section 1 item 7).
        let value = try JSONParser.parse(#"{"MHS av":nan,"MHS 5s":inf,"T":-inf,"U":NaN,"V":Infinity,"W":-nan}"#)
        #expect(value["MHS av"] == .null)
        #expect(value["MHS 5s"] == .double(.infinity))
        #expect(value["T"] == .double(-.infinity))
        #expect(value["MHS 5s"]?.doubleValue == nil)
        #expect(value["U"] == .null)
        #expect(value["V"] == .double(.infinity))
        #expect(value["W"] == .null)
        // Quoted forms stay strings, and read as no number.
        #expect(try JSONParser.parse(#"{"a":"nan"}"#)["a"]?.doubleValue == nil)
    }

    @Test func keepsTheCharacterOfAnInvalidEscape() throws {
        // btminer `"Firmware Version":"\'20200917.22.REL\'"`.
        let value = try JSONParser.parse(Fixtures.bytes("whatsminer/M20S_luci-era-fw_foreman/summary.json"))
        #expect(value["SUMMARY"]?[0]?["Firmware Version"] == .string("'20200917.22.REL'"))
        #expect(try JSONParser.parse(#"["\q\'\u12"]"#) == ["q'u12"])
    }

    @Test func keepsRawNewlinesInsideStrings() throws {
        // `"Type":"Antminer S9\nV1.3.58"` with a real newline; btminer embeds them too.
        #expect(try JSONParser.parse("{\"Type\":\"Antminer S9\nV1.3.58\",\"t\":\"a\tb\"}")["Type"] == .string("Antminer S9\nV1.3.58"))
    }

    @Test func repairsAMissingCommaBetweenMembers() throws {
        // btminer 2023-01-06: `""temp0` -> `","temp0` (pyasic repair 6).
        let value = try JSONParser.parse(#"{"Power Mode":"Normal""temp0":61,"x":1}"#)
        #expect(value["Power Mode"] == "Normal")
        #expect(value["temp0"] == .int(61))
        #expect(value["x"] == .int(1))
    }

    @Test func readsAnEmptyValueAsNull() throws {
        // `"bitmain-fan-ctrl" : ,` in the Bitmain CGI config.
        for path in [
            "antminer/S19-Pro_missing-fan-ctrl_foreman/http_cgi-bin_get_miner_conf.cgi.json",
            "antminer/S19-Pro_new_foreman/http_cgi-bin_get_miner_conf.cgi.json",
        ] {
            let value = try JSONParser.parse(Fixtures.bytes(path))
            #expect(value["bitmain-fan-ctrl"] == .null, "\(path)")
            #expect(value["bitmain-fan-pwm"] == .string(""), "\(path)")
            #expect(value["pools"]?.arrayValue?.count == 3, "\(path)")
        }
        #expect(try JSONParser.parse(#"{"a": }"#) == ["a": nil])
    }

    @Test func readsEveryJSONFixture() throws {
        let files = Fixtures.files(extensions: ["json"])
        #expect(files.count > 200)
        for path in files {
            let value = try JSONParser.parse(Fixtures.bytes(path))
            #expect(value.objectValue != nil || value.arrayValue != nil || value == .bool(false), "\(path)")
        }
    }

    // MARK: Errors

    @Test(arguments: [#"{"a":1"#, #"{"a":"#, #"{"a":"xy"#, #"[1,2"#, #"{"a":tr"#, #"{"#, #"["#, #"{"a":1.5e"#, #""abc"#, "-", #"{"a":"\u00"#])
    func truncatedInputThrowsTruncated(text: String) {
        #expect(throws: ProtocolError.truncated(offset: text.utf8.count)) { try JSONParser.parse(text) }
    }

    @Test(arguments: [
        ("<html>", 0), (#"{"a":1 x}"#, 7), (#"{"a" 1}"#, 5), ("{a:1}", 1), (#"{"a":1}}"#, 7),
        (#"[1 2]"#, 3), (#"{"a":bogus}"#, 5), (#"{"a":-x}"#, 6), (#"{"a":1.5ex}"#, 9),
    ])
    func garbageThrowsInvalidWithItsOffset(text: String, offset: Int) throws {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("parsed garbage \(text)")
        } catch {
            guard case .invalid(_, let at) = error else {
                Issue.record("expected invalid for \(text), got \(error)")
                return
            }
            #expect(at == offset, "\(text)")
        }
    }

    @Test func emptyInputThrowsEmpty() {
        #expect(throws: ProtocolError.empty) { try JSONParser.parse([UInt8]()) }
        #expect(throws: ProtocolError.empty) { try JSONParser.parse(" \n ") }
        #expect(throws: ProtocolError.empty) { try JSONParser.parse([0]) }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: ProtocolError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONParser.parse(fine) }
    }

    // MARK: Salvage

    @Test func salvageClosesContainersAfterTheLastCompleteValue() throws {
        let outcome = try JSONParser.parseOutcome(Array(#"{"a":1,"b":[1,2,{"c":"x","d":"unfinished"#.utf8), salvage: true)
        #expect(outcome.salvaged)
        #expect(outcome.value == ["a": 1, "b": [1, 2, ["c": "x"]]])
        // A number touching the cut may be incomplete: it is dropped.
        #expect(try JSONParser.parse(#"{"a":1,"b":12"#, salvage: true) == ["a": 1])
        // A complete document is not marked salvaged.
        #expect(try JSONParser.parseOutcome(Array(#"{"a":1}"#.utf8), salvage: true).salvaged == false)
        // A cut scalar at the top level cannot be salvaged.
        #expect(throws: ProtocolError.truncated(offset: 4)) { try JSONParser.parse(#""abc"#, salvage: true) }
    }

    @Test func salvageReadsACutMultiCommandReply() throws {
        // Cut an Avalon multi-command reply in the middle of its `stats` member: the
        // complete `summary` member survives.
        let whole = Fixtures.bytes("avalon/A1047_foreman/pools+summary+stats.json")
        let cut = Array(whole[..<4000])
        #expect(throws: ProtocolError.truncated(offset: 4000)) { try JSONParser.parse(cut) }
        let salvaged = try JSONParser.parse(cut, salvage: true)
        #expect(salvaged["summary"]?[0]?["SUMMARY"]?[0]?["MHS av"] == .double(25_536_751.74))
        #expect(salvaged["pools"] == nil)
    }
}
