import BitlinkCore

/// Answers Whatsminer API v3 (port 4433): each message is a 4-byte little-endian
/// length followed by JSON; several requests may share one connection.
struct WhatsminerV3Responder {
    let fixtures: ModelFixtures
    let snapshot: LiveSnapshot
    let when: Int

    /// Splits one complete frame off the front of `buffer`: the payload and the bytes used.
    /// `.invalid` when the length is absurd (the connection is then closed).
    enum Frame: Equatable {
        case incomplete
        case invalid
        case complete(payload: [UInt8], consumed: Int)
    }

    static func frame(_ buffer: [UInt8], limit: Int = 65536) -> Frame {
        guard buffer.count >= 4 else { return .incomplete }
        let length = Int(buffer[0]) | Int(buffer[1]) << 8 | Int(buffer[2]) << 16 | Int(buffer[3]) << 24
        guard length <= limit else { return .invalid }
        guard buffer.count >= 4 + length else { return .incomplete }
        return .complete(payload: Array(buffer[4..<(4 + length)]), consumed: 4 + length)
    }

    /// Prefixes a payload with its 4-byte little-endian length.
    static func framed(_ payload: [UInt8]) -> [UInt8] {
        let n = UInt32(payload.count)
        return [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24 & 0xFF)] + payload
    }

    /// The command named in a request payload, for the log.
    static func command(in payload: [UInt8]) -> String? {
        SimJSON.parse(payload)?["cmd"]?.stringValue
    }

    /// The reply payload (unframed).
    func reply(to payload: [UInt8]) -> [UInt8] {
        guard let request = SimJSON.parse(payload), let command = request["cmd"]?.stringValue else {
            return envelope(code: -1, desc: "", msg: .string("invalid json"))
        }
        let parameter = request["param"]?.text
        if command.hasPrefix("set.") {
            // Writes need a token derived from the admin password; the simulator never grants it.
            return envelope(code: -2, desc: command, msg: .string("permission denied"))
        }
        if let capture = fixtures.v3[command] {
            return FixtureEditor.apply(capture, snapshot: snapshot, isText: false)
        }
        if command == "get.miner.status" {
            return minerStatus(parameter ?? "summary")
        }
        return envelope(code: -1, desc: command, msg: .string("invalid command"))
    }

    private func envelope(code: Int, desc: String, msg: JSONValue) -> [UInt8] {
        // Key order as in the captured get.device.info reply: code, desc, msg, when.
        var out = Array("{\"code\":\(code),\"desc\":".utf8)
        BitlinkJSONString.write(desc, into: &out)
        out += Array(",\"msg\":".utf8)
        msg.encode(into: &out)
        out += Array(",\"when\":\(when)}".utf8)
        return out
    }

    /// SYNTHESIZED: no public capture of `get.miner.status` exists (protocols.md section 7).
    /// The field names are the documented ones (protocols.md 3.2: `hash-realtime`,
    /// `hash-average`, `factory-hash` in TH/s, `power-realtime`, `power-limit`,
    /// `chip-temp-*`, `environment-temperature`, `fan-speed-in/out`; pools `url`/`account`);
    /// the values are derived from the M60S `get.device.info` capture where it has them
    /// (`detect-hash-rate` per board in GH/s) and are otherwise plausible M60S figures.
    /// The `msg.<param>` nesting mirrors `get.device.info`'s `msg.<section>` layout.
    private func minerStatus(_ parameter: String) -> [UInt8] {
        let values = LiveValues(snapshot: snapshot)
        let factory = factoryHashTH()
        let realtime = values.hashrate(base: factory * 0.985, field: 1)
        let average = values.hashrate(base: factory * 0.99, field: 2)
        let fanIn = values.fan(base: 6120, field: 3, failed: snapshot.fanFailed)
        let fanOut = values.fan(base: 6090, field: 4, failed: false)
        let chipMax = values.temperature(base: 78, field: 5, isMax: true)
        let chipAvg = values.temperature(base: 71, field: 6, isMax: false)
        let chipMin = values.temperature(base: 63, field: 7, isMax: false)
        let elapsed = values.uptime(base: 86400)
        let accepted = values.counter(base: 12000, delta: values.acceptedDelta, grows: true)
        let rejected = values.counter(base: 24, delta: values.rejectedDelta, grows: true)
        let body: JSONValue
        switch parameter {
        case "summary":
            body = .object(JSONObject([
                .init(key: "elapsed", value: .int(Int64(elapsed))),
                .init(key: "hash-realtime", value: .double(round2(realtime))),
                .init(key: "hash-average", value: .double(round2(average))),
                .init(key: "factory-hash", value: .double(round2(factory))),
                .init(key: "power-realtime", value: .int(snapshot.sleeping ? 95 : 3332)),
                .init(key: "power-limit", value: .int(3600)),
                .init(key: "environment-temperature", value: .double(round2(values.temperature(base: 27, field: 8, isMax: false)))),
                .init(key: "chip-temp-min", value: .double(round2(chipMin))),
                .init(key: "chip-temp-avg", value: .double(round2(chipAvg))),
                .init(key: "chip-temp-max", value: .double(round2(chipMax))),
                .init(key: "fan-speed-in", value: .int(Int64(fanIn))),
                .init(key: "fan-speed-out", value: .int(Int64(fanOut))),
                .init(key: "btmineroff", value: .string(snapshot.sleeping ? "true" : "false")),
            ]))
        case "pools":
            body = .array([.object(JSONObject([
                .init(key: "id", value: 1),
                .init(key: "url", value: "stratum+tcp://btc.example-pool.test:3333"),
                .init(key: "account", value: .string(snapshot.poolUser ?? "bitlinksim.m60s")),
                .init(key: "status", value: "alive"),
                .init(key: "stratum-active", value: true),
                .init(key: "accepted", value: .int(Int64(accepted))),
                .init(key: "rejected", value: .int(Int64(rejected))),
            ]))])
        case "edevs":
            let boards = detectHashPerBoardTH()
            body = .array(boards.enumerated().map { index, board in
                .object(JSONObject([
                    .init(key: "id", value: .int(Int64(index))),
                    .init(key: "hash-average", value: .double(round2(values.hashrate(base: board, field: UInt64(10 + index))))),
                    .init(key: "chip-temp-max", value: .double(round2(values.temperature(base: 78, field: UInt64(20 + index), isMax: true)))),
                    .init(key: "chip-temp-avg", value: .double(round2(values.temperature(base: 71, field: UInt64(30 + index), isMax: false)))),
                ]))
            })
        default:
            return envelope(code: -1, desc: "get.miner.status", msg: .string("invalid param"))
        }
        return envelope(code: 0, desc: "get.miner.status", msg: .object(JSONObject([.init(key: parameter, value: body)])))
    }

    private func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    /// `detect-hash-rate` from the device-info capture ("61434:53890:65727", GH/s per board), in TH/s.
    private func detectHashPerBoardTH() -> [Double] {
        guard let info = fixtures.v3["get.device.info"], let json = SimJSON.parse(info),
              let text = json["msg"]?["miner"]?["detect-hash-rate"]?.stringValue
        else { return [60, 60, 60] }
        return text.split(separator: ":").compactMap { Double($0) }.map { $0 / 1000 }
    }

    private func factoryHashTH() -> Double { detectHashPerBoardTH().reduce(0, +) }
}
