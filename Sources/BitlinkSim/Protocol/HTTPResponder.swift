/// Answers HTTP/1.1 on a miner's web port as its firmware does for the requests
/// bitlink's identification probes make (protocols.md sections 2 and 4).
struct HTTPResponder {
    let fixtures: ModelFixtures
    let snapshot: LiveSnapshot
    let address: String

    /// A parsed request head.
    struct Head: Equatable {
        var method: String
        var path: String
    }

    /// Index just past the blank line ending the head, if it has arrived.
    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4)
        where bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D && bytes[i + 3] == 0x0A {
            return i + 4
        }
        return nil
    }

    static func parseHead(_ bytes: [UInt8]) -> Head? {
        let line = bytes.prefix { $0 != 0x0D && $0 != 0x0A }
        let parts = line.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
        guard parts.count >= 2 else { return nil }
        var path = parts[1]
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        return Head(method: parts[0], path: path)
    }

    /// The full response (status line, headers, body).
    func response(to head: Head?) -> [UInt8] {
        guard let head else { return Self.make(400, "Bad Request", [], body: Array("bad request\n".utf8)) }
        let model = fixtures.model
        switch model.http {
        case .none:
            return Self.notFound
        case .antminerDigest:
            // Every page of the stock web UI needs digest auth (root/root); bitlink only
            // needs the challenge to recognise the firmware.
            let nonce = String(SimRandom.hash(snapshot.seed, UInt64(snapshot.minerIndex), 0xD16E57), radix: 16)
            return Self.make(401, "Unauthorized", [
                ("WWW-Authenticate", "Digest realm=\"antMiner Configuration\", nonce=\"\(nonce)\", qop=\"auth\""),
                ("Content-Type", "text/html"),
            ], body: Array("<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>\n".utf8))
        case .whatsminerRedirect:
            let location = "https://\(address)/cgi-bin/luci"
            return Self.make(307, "Temporary Redirect", [("Location", location), ("Content-Type", "text/html")],
                             body: Array("<html><body>Redirecting to <a href=\"\(location)\">/cgi-bin/luci</a></body></html>\n".utf8))
        case .braiinsPage:
            guard head.path == "/" || head.path == "/index.html" else { return Self.notFound }
            return Self.make(200, "OK", [("Content-Type", "text/html")],
                             body: Array("<!DOCTYPE html><html><head><title>Braiins OS</title></head><body><div id=\"root\">Braiins OS</div></body></html>\n".utf8))
        case .axeos, .nmminer:
            guard head.method == "GET", let body = fixtures.httpBodies[head.path] else { return Self.notFound }
            let edited = FixtureEditor.apply(body, snapshot: snapshot, isText: false)
            return Self.make(200, "OK", [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*")], body: edited)
        }
    }

    static let notFound = make(404, "Not Found", [("Content-Type", "text/plain")], body: Array("Not Found\n".utf8))

    /// Headers for a body of `length` bytes (used alone when the body is streamed).
    static func header(_ status: Int, _ reason: String, _ headers: [(String, String)], length: Int, keepAlive: Bool = false) -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(length)\r\n"
        text += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        return Array(text.utf8)
    }

    static func make(_ status: Int, _ reason: String, _ headers: [(String, String)], body: [UInt8]) -> [UInt8] {
        header(status, reason, headers, length: body.count) + body
    }
}
