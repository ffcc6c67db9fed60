import BitlinkCore
import Foundation
import Testing

@testable import BitlinkCLI

struct OutputTests {
    static let miners = [
        Miner(id: 7, name: "rig \"7\"\\x", family: .antminer, model: "S19 Pro", firmware: "bmminer\t1.0", host: "10.0.0.7",
            mac: "AA:BB:CC:DD:EE:FF", hostname: "rig7", serial: "SN1", apiPort: 4029, httpPort: 8080, v3Port: 14433,
            status: .warning, statusReasons: ["fan 2 stopped", "chip temperature 92°C above 85°C"], failedPolls: 0, enabled: false,
            autoDiscovered: true, createdAt: 1_700_000_000, lastSeen: 1_700_000_100),
        Miner(id: 8, name: "plain", host: "bitaxe.lan", createdAt: 0),
    ]

    /// The streamed list forms (straight from database rows) and the general encoder and
    /// table must give the same bytes.
    @Test func streamedMinerRowsMatchTheEncoderAndTheTable() throws {
        let directory = NSTemporaryDirectory() + "bitlink-output-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Store.open(path: directory + "/b.db", mode: .write)
        try store.write {
            for miner in Self.miners { try store.insertMiner(miner) }
        }
        let stored = try store.miners()
        var list = JSONStream()
        list.beginArray()
        var tsv: [UInt8] = []
        try store.forEachMinerRow { row in
            RecordOutput.stream(row, into: &list)
            RecordOutput.tsv(row, into: &tsv)
        }
        list.endArray()
        #expect(String(decoding: list.bytes, as: UTF8.self) == JSONValue.array(stored.map(RecordOutput.json)).encoded())
        #expect(String(decoding: tsv, as: UTF8.self) == RecordOutput.minerTable(stored, now: 0, human: false).tsv())
        #expect(stored.count == 2)
    }

    @Test func encoderSortsKeysEscapesAndKeepsNulls() {
        let value: JSONValue = ["b": "x\"y\n", "a": nil, "c": [1, 2.5, true], "d": .double(1e15), "e": .double(.nan)]
        #expect(value.encoded() == #"{"a":null,"b":"x\"y\n","c":[1,2.5,true],"d":1000000000000000.0,"e":null}"#)
        #expect(JSONValue.object(JSONObject()).encoded() == "{}")
        #expect(JSONValue.string("\u{01}é").encoded() == "\"\\u0001é\"")
    }

    @Test func prettyJSONIndentsTwoSpaces() {
        let value: JSONValue = ["a": [1, 2], "b": [:]]
        #expect(value.encoded(pretty: true) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test func tableIsAlignedWithoutTrailingSpaces() {
        var table = Table([.init("ID", .right), .init("NAME"), .init("NOTE")])
        table.append([.init("1"), .init("a"), .init("")])
        table.append([.init("10"), .init("longer name"), .init("x")])
        #expect(table.aligned(width: 80) == "ID  NAME         NOTE\n 1  a\n10  longer name  x\n")
    }

    @Test func colourDoesNotShiftColumns() {
        var table = Table([.init("NAME"), .init("STATUS"), .init("NOTE")])
        table.append([.init("a"), .init("dead", raw: "dead", color: Table.statusColor("dead")), .init("x")])
        let plain = table.aligned(width: 80)
        let coloured = table.aligned(width: 80, color: true)
        #expect(coloured.contains("\u{1B}[31mdead\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}[31m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "") == plain)
    }

    @Test func tableFitsTheWidthByShorteningTheWidestColumn() {
        var table = Table([.init("NAME"), .init("ADDRESS")])
        table.append([.init("rig1"), .init("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")])
        let lines = table.aligned(width: 30).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines[1].hasSuffix("..."))
    }

    @Test func tsvHasNoHeaderAndFlattensTabsAndNewlines() {
        var table = Table([.init("A"), .init("B")])
        table.append([.init("human", raw: "x\ty"), .init("two\nlines", raw: "two\nlines")])
        table.append([.init("-", raw: ""), .init("z")])
        #expect(table.tsv() == "x y\ttwo lines\n\tz\n")
    }

    @Test(arguments: [(0, "1970-01-01T00:00:00Z"), (1_700_000_000, "2023-11-14T22:13:20Z"), (1_795_478_399, "2026-11-23T23:59:59Z")])
    func rfc3339RoundTrips(_ unix: Int64, _ text: String) {
        #expect(Format.rfc3339(unix) == text)
        #expect(Format.parseRFC3339(text) == unix)
    }

    @Test func rfc3339AcceptsOffsetsAndDates() {
        #expect(Format.parseRFC3339("2023-11-14T23:13:20+01:00") == 1_700_000_000)
        #expect(Format.parseRFC3339("2023-11-14") == 1_699_920_000)
        #expect(Format.parseRFC3339("2023-11-14T22:13:20.123Z") == 1_700_000_000)
        #expect(Format.parseRFC3339("yesterday") == nil)
        #expect(Format.parseRFC3339("2023-13-01") == nil)
    }

    @Test(arguments: [(nil as Double?, "-"), (950, "950.0 H/s"), (1.5e12, "1.50 TH/s"), (110.23e12, "110.2 TH/s"), (2.5e18, "2.50 EH/s")])
    func humanHashrate(_ value: Double?, _ text: String) {
        #expect(Format.hashrate(value) == text)
    }

    @Test func humanDurations() {
        #expect(Format.duration(45) == "45s")
        #expect(Format.duration(3725) == "1h 2m")
        #expect(Format.duration(90000) == "1d 1h")
        #expect(Format.ago(nil, now: 100) == "never")
        #expect(Format.ago(97, now: 100) == "just now")
        #expect(Format.decimal(0.999, places: 2) == "1.00")
        #expect(Format.decimal(-1.25, places: 1) == "-1.3" || Format.decimal(-1.25, places: 1) == "-1.2")
    }
}
