import Testing

@testable import BitlinkCore

/// Feeds `bytes` to a fresh decoder three ways (whole, one byte at a time, split at
/// pseudo-random points, after SwiftNIO's ByteToMessageDecoderVerifier) and checks that all
/// three agree. Returns the common result, or records an issue.
private func decode(_ kind: Request.Kind, _ bytes: [UInt8], limit: Int = WireFraming.defaultReplyLimit, eof: Bool = true) -> ReplyResult? {
    func run(_ chunks: [ArraySlice<UInt8>]) -> ReplyResult? {
        var decoder = WireFraming.ReplyDecoder(for: kind, limit: limit)
        for chunk in chunks {
            if case .complete(let result) = decoder.feed(Array(chunk)) { return result }
        }
        return eof ? decoder.finish() : nil
    }
    let whole = run([bytes[...]])
    let single = run(bytes.indices.map { bytes[$0...$0] })
    var generator = SplitMix(seed: UInt64(bytes.count))
    var randomChunks: [ArraySlice<UInt8>] = []
    var start = 0
    while start < bytes.count {
        let length = 1 + Int(generator.next() % 17)
        randomChunks.append(bytes[start..<min(bytes.count, start + length)])
        start += length
    }
    let random = run(randomChunks)
    #expect(whole == single, "byte-by-byte differs")
    #expect(whole == random, "random split differs")
    return whole
}

/// A tiny deterministic generator, so split points repeat from run to run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

private func http(_ result: ReplyResult?) -> HTTPResponse? {
    if case .success(.http(let response)) = result { return response }
    return nil
}

@Suite("Wire framing")
struct WireFramingTests {
    // MARK: Requests

    @Test func cgminerRequestEncoding() {
        #expect(WireFraming.cgminerRequest(command: "summary") == bytes(#"{"command":"summary"}"#))
        #expect(WireFraming.cgminerRequest(command: "asc", parameter: "0") == bytes(#"{"command":"asc","parameter":"0"}"#))
        #expect(WireFraming.cgminerRequest(command: "a\"b\\c\n\u{01}") == bytes(#"{"command":"a\"b\\c\n\u0001"}"#))
    }

    @Test func httpRequestEncoding() {
        let request = String(decoding: WireFraming.encode(.httpGet(path: "/api/system/info"), address: IPv4Address(10, 0, 0, 5), port: 80), as: UTF8.self)
        #expect(request == "GET /api/system/info HTTP/1.1\r\nHost: 10.0.0.5\r\nUser-Agent: bitlink\r\nAccept: application/json, */*\r\nConnection: close\r\n\r\n")
        let other = String(decoding: WireFraming.encode(.httpGet(path: "x y\r\nEvil: 1"), address: IPv4Address(127, 0, 0, 1), port: 8080), as: UTF8.self)
        #expect(other.hasPrefix("GET /x%20y%0D%0AEvil:%201 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))
    }

    @Test func whatsminerV3RequestEncoding() {
        let plain = WireFraming.whatsminerV3Request(command: "get.device.info")
        #expect(plain == [25, 0, 0, 0] + bytes(#"{"cmd":"get.device.info"}"#))
        let withParameter = WireFraming.whatsminerV3Request(command: "get.miner.status", parameter: "summary")
        let json = bytes(#"{"cmd":"get.miner.status","param":"summary"}"#)
        #expect(withParameter == [UInt8(json.count), 0, 0, 0] + json)
        let big = WireFraming.whatsminerV3Frame([UInt8](repeating: 0x41, count: 0x01_02_03))
        #expect(Array(big.prefix(4)) == [0x03, 0x02, 0x01, 0x00])
    }

    // MARK: CGMiner replies

    @Test func cgminerReplyEndsAtNul() {
        let reply = bytes(#"{"STATUS":[{"STATUS":"S"}],"id":1}"#)
        #expect(decode(.cgminer(command: "version"), reply + [0], eof: false) == .success(.bytes(reply)))
        // Bytes after the NUL are ignored.
        #expect(decode(.cgminer(command: "version"), reply + [0] + bytes("junk"), eof: false) == .success(.bytes(reply)))
    }

    @Test func cgminerReplyEndsAtEOFWithoutNul() {
        let reply = bytes(#"{"STATUS":[{"STATUS":"S"}],"id":1}"#)
        #expect(decode(.cgminer(command: "version"), reply) == .success(.bytes(reply)))
        #expect(decode(.cgminer(command: "version"), []) == .failure(.badFraming("connection closed without a reply")))
        #expect(decode(.cgminer(command: "version"), [0]) == .success(.bytes([])))
    }

    @Test func cgminerReplyCap() {
        let limit = 100
        #expect(decode(.cgminer(command: "stats"), [UInt8](repeating: 0x41, count: 100) + [0], limit: limit) == .success(.bytes([UInt8](repeating: 0x41, count: 100))))
        #expect(decode(.cgminer(command: "stats"), [UInt8](repeating: 0x41, count: 101), limit: limit) == .failure(.tooLarge(limit: limit)))
    }

    // MARK: HTTP replies

    @Test func httpContentLength() {
        let wire = bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"b c\"}")
        let response = http(decode(.httpGet(path: "/"), wire, eof: false))
        #expect(response?.status == 200)
        #expect(response?.reason == "OK")
        #expect(response?.header("Content-Type") == "application/json")
        #expect(response?.body == bytes("{\"a\":\"b c\"}"))
    }

    @Test func httpChunked() {
        let wire = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n")
        let response = http(decode(.httpGet(path: "/"), wire, eof: false))
        #expect(response?.body == bytes("hello, world"))
    }

    @Test func httpCloseDelimitedAndBareLF() {
        let wire = bytes("HTTP/1.0 200\nServer: tiny\n\nbody until close")
        let response = http(decode(.httpGet(path: "/"), wire))
        #expect(response?.status == 200)
        #expect(response?.reason == "")
        #expect(response?.body == bytes("body until close"))
    }

    @Test func httpRedirectReturnedAsIs() {
        let wire = bytes("HTTP/1.1 307 Temporary Redirect\r\nLocation: https://10.0.0.5/cgi-bin/luci\r\nContent-Length: 0\r\n\r\n")
        let response = http(decode(.httpGet(path: "/"), wire, eof: false))
        #expect(response?.status == 307)
        #expect(response?.header("location") == "https://10.0.0.5/cgi-bin/luci")
    }

    @Test func httpInterimResponsesSkippedAndNoBodyStatuses() {
        let wire = bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nX: y\r\n\r\n")
        let response = http(decode(.httpGet(path: "/"), wire, eof: false))
        #expect(response?.status == 204)
        #expect(response?.headers.map(\.name) == ["x"])
        #expect(response?.body == [])
    }

    @Test func httpFoldedHeaderAndRepeatedContentLength() {
        let wire = bytes("HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 2, 2\r\n\r\nok")
        let response = http(decode(.httpGet(path: "/"), wire, eof: false))
        #expect(response?.header("x-long") == "a b")
        #expect(response?.body == bytes("ok"))
    }

    @Test(arguments: [
        "SSH-2.0-OpenSSH_9.2\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/x.1 200 OK\r\n\r\n",
        "<html>hello</html>\n",
    ])
    func httpGarbageStatusLine(_ wire: String) {
        guard case .failure(.badFraming(let why)) = decode(.httpGet(path: "/"), bytes(wire)) else {
            Issue.record("expected badFraming for \(wire.debugDescription)")
            return
        }
        #expect(why.hasPrefix("bad status line"))
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line without a name and colon"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "bad Content-Length"),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "chunk data longer than its size"),
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "connection closed before Content-Length bytes arrived"),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "connection closed inside a chunked body"),
        ("HTTP/1.1 200 OK\r\nServer: x", "connection closed inside the response head"),
        ("", "connection closed without a reply"),
    ])
    func httpBadFraming(_ wire: String, _ why: String) {
        #expect(decode(.httpGet(path: "/"), bytes(wire)) == .failure(.badFraming(why)))
    }

    @Test func httpCaps() {
        let limit = 1000
        let declared = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n")
        #expect(decode(.httpGet(path: "/"), declared, limit: limit, eof: false) == .failure(.tooLarge(limit: limit)))
        let chunk = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFF\r\n")
        #expect(decode(.httpGet(path: "/"), chunk, limit: limit, eof: false) == .failure(.tooLarge(limit: limit)))
        let closeDelimited = bytes("HTTP/1.1 200 OK\r\n\r\n") + [UInt8](repeating: 0x41, count: 2000)
        #expect(decode(.httpGet(path: "/"), closeDelimited, limit: limit) == .failure(.tooLarge(limit: limit)))
        let endlessLine = bytes("HTTP/1.1 200 OK\r\nX: ") + [UInt8](repeating: 0x41, count: 70_000)
        if case .failure(.badFraming) = decode(.httpGet(path: "/"), endlessLine, eof: false) {
        } else {
            Issue.record("an endless header line should be badFraming")
        }
    }

    // MARK: Whatsminer v3 replies

    @Test func whatsminerV3Reply() {
        let json = bytes(#"{"code":0,"desc":"get.device.info","msg":{}}"#)
        #expect(decode(.whatsminerV3(command: "get.device.info"), WireFraming.whatsminerV3Frame(json), eof: false) == .success(.bytes(json)))
    }

    @Test func whatsminerV3Leftover() {
        let first = bytes(#"{"code":0}"#)
        let second = bytes(#"{"code":1}"#)
        var decoder = WireFraming.ReplyDecoder(for: .whatsminerV3(command: "a"))
        let wire = WireFraming.whatsminerV3Frame(first) + WireFraming.whatsminerV3Frame(second)
        #expect(decoder.feed(wire) == .complete(.success(.bytes(first))))
        let leftover = decoder.takeLeftover()
        var next = WireFraming.ReplyDecoder(for: .whatsminerV3(command: "b"))
        #expect(next.feed(leftover) == .complete(.success(.bytes(second))))
    }

    @Test func whatsminerV3BadLengths() {
        let limit = 1 << 20
        #expect(decode(.whatsminerV3(command: "x"), [0xFF, 0xFF, 0xFF, 0x7F], limit: limit, eof: false) == .failure(.tooLarge(limit: limit)))
        #expect(decode(.whatsminerV3(command: "x"), [0, 0, 0, 0], eof: false) == .failure(.badFraming("v3 message with length 0")))
        #expect(decode(.whatsminerV3(command: "x"), [10, 0, 0, 0, 0x7B]) == .failure(.badFraming("connection closed inside a v3 message")))
        #expect(decode(.whatsminerV3(command: "x"), [10, 0]) == .failure(.badFraming("connection closed inside a v3 message")))
        #expect(decode(.whatsminerV3(command: "x"), []) == .failure(.badFraming("connection closed without a reply")))
    }
}
