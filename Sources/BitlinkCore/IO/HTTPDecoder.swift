extension WireFraming {
    /// An HTTP/1.x response read incrementally (RFC 9112): status line, header fields,
    /// then the body framed by `Transfer-Encoding: chunked`, `Content-Length`, or the end of
    /// the connection, in that order of precedence (RFC 9112 section 6.3).
    ///
    /// Lenient where embedded web servers are sloppy: bare LF line endings, a missing reason
    /// phrase, empty lines before the status line, folded header lines, chunk extensions.
    /// Strict where the framing would otherwise be guessed: a status line that is not
    /// `HTTP/d.d ddd`, a header line without a colon, conflicting `Content-Length` values or a
    /// bad chunk size are `.badFraming`. Interim 1xx responses (except 101) are skipped.
    /// Redirects are returned like any other response: callers fingerprint them.
    /// The whole response, head included, counts against `limit`.
    public struct HTTPDecoder: Sendable {
        /// The most bytes the response may take on the wire.
        public let limit: Int
        /// The longest status, header or chunk-size line accepted.
        public static let maxLineLength = 64 << 10
        /// The most header fields accepted.
        public static let maxHeaderCount = 500

        private enum State: Sendable {
            case statusLine
            case headers
            case body(remaining: Int)
            case chunkSize
            case chunkData(remaining: Int)
            case chunkDataEnd
            case trailers
            case untilClose
        }

        private var state = State.statusLine
        private var pending: [UInt8] = []
        private var position = 0
        /// Where the search for the next LF resumes: bytes before it hold none. Without
        /// it, a line dripped one byte at a time would be rescanned on every byte.
        private var scanned = 0
        private var received = 0
        private var status = 0
        private var reason = ""
        private var headers: [(name: String, value: String)] = []
        private var body: [UInt8] = []
        private var result: ReplyResult?

        /// - Parameter limit: the most bytes the response may take on the wire.
        public init(limit: Int = WireFraming.defaultReplyLimit) { self.limit = limit }

        /// Consumes received bytes.
        public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> DecodeStatus {
            if let result { return .complete(result) }
            if chunk.count > limit - received { return fail(.tooLarge(limit: limit)) }
            received += chunk.count
            pending.append(contentsOf: chunk)
            let status = parse()
            if result == nil {
                // Drop what was parsed; only a partial line (or nothing) stays behind.
                if position == pending.count {
                    pending.removeAll(keepingCapacity: pending.capacity <= 64 << 10)
                } else if position > 0 {
                    pending.removeSubrange(0..<position)
                }
                scanned = max(0, scanned - position)
                position = 0
            }
            return status
        }

        /// The result at end of stream: a close-delimited body ends here; anywhere else the
        /// response was cut short.
        public mutating func finish() -> ReplyResult {
            if let result { return result }
            switch state {
            case .untilClose:
                body.append(contentsOf: pending[position...])
                return succeed()
            case .statusLine where received == 0:
                return .failure(.badFraming("connection closed without a reply"))
            case .statusLine, .headers:
                return .failure(.badFraming("connection closed inside the response head"))
            case .body:
                return .failure(.badFraming("connection closed before Content-Length bytes arrived"))
            case .chunkSize, .chunkData, .chunkDataEnd, .trailers:
                return .failure(.badFraming("connection closed inside a chunked body"))
            }
        }

        private mutating func parse() -> DecodeStatus {
            while true {
                switch state {
                case .statusLine:
                    guard let line = nextLine() else { return needMoreOrLineTooLong() }
                    if line.isEmpty { continue }
                    guard let (code, text) = Self.parseStatusLine(pending[line]) else {
                        return fail(.badFraming("bad status line \"\(Self.printable(pending[line]))\""))
                    }
                    status = code
                    reason = text
                    headers = []
                    state = .headers

                case .headers:
                    guard let line = nextLine() else { return needMoreOrLineTooLong() }
                    if line.isEmpty {
                        if let done = endOfHead() { return done }
                        continue
                    }
                    let bytes = pending[line]
                    if bytes.first == 0x20 || bytes.first == 0x09 {
                        // obs-fold (RFC 9112 section 5.2): a continuation of the previous value.
                        guard !headers.isEmpty else { return fail(.badFraming("folded line before any header")) }
                        let more = Self.trimmed(bytes)
                        if !more.isEmpty { headers[headers.count - 1].value += " " + String(decoding: more, as: UTF8.self) }
                        continue
                    }
                    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > bytes.startIndex else {
                        return fail(.badFraming("header line without a name and colon"))
                    }
                    let name = String(decoding: Self.trimmed(bytes[..<colon]), as: UTF8.self).lowercased()
                    let value = String(decoding: Self.trimmed(bytes[(colon + 1)...]), as: UTF8.self)
                    headers.append((name, value))
                    if headers.count > Self.maxHeaderCount { return fail(.badFraming("too many header fields")) }

                case .body(let remaining):
                    let take = min(remaining, pending.count - position)
                    body.append(contentsOf: pending[position..<(position + take)])
                    position += take
                    if take == remaining { return .complete(succeed()) }
                    state = .body(remaining: remaining - take)
                    return .needMore

                case .chunkSize:
                    guard let line = nextLine() else { return needMoreOrLineTooLong() }
                    guard let size = Self.parseChunkSize(pending[line]) else {
                        return fail(.badFraming("bad chunk size"))
                    }
                    if size == 0 {
                        state = .trailers
                    } else if size > limit - body.count {
                        return fail(.tooLarge(limit: limit))
                    } else {
                        state = .chunkData(remaining: size)
                    }

                case .chunkData(let remaining):
                    let take = min(remaining, pending.count - position)
                    body.append(contentsOf: pending[position..<(position + take)])
                    position += take
                    guard take == remaining else {
                        state = .chunkData(remaining: remaining - take)
                        return .needMore
                    }
                    state = .chunkDataEnd

                case .chunkDataEnd:
                    guard let line = nextLine() else { return needMoreOrLineTooLong() }
                    guard line.isEmpty else { return fail(.badFraming("chunk data longer than its size")) }
                    state = .chunkSize

                case .trailers:
                    // Trailer fields are read and dropped; an empty line ends the message.
                    guard let line = nextLine() else { return needMoreOrLineTooLong() }
                    if line.isEmpty { return .complete(succeed()) }

                case .untilClose:
                    body.append(contentsOf: pending[position...])
                    position = pending.count
                    return .needMore
                }
            }
        }

        /// The empty line after the header fields: decides how the body is framed.
        /// Returns a status when the response is complete or broken, nil to keep parsing.
        private mutating func endOfHead() -> DecodeStatus? {
            if status >= 100 && status < 200 && status != 101 {
                // Interim response (100 Continue, 103 Early Hints): the real one follows.
                state = .statusLine
                headers = []
                return nil
            }
            if status == 101 || status == 204 || status == 304 { return .complete(succeed()) }

            let transferCodings = headers.filter { $0.name == "transfer-encoding" }.map(\.value)
            if !transferCodings.isEmpty {
                let last = transferCodings.joined(separator: ",").split(separator: ",").last
                let chunked = last.map { $0.trimmingSpaces.lowercased() == "chunked" } ?? false
                // RFC 9112 section 6.3: a response whose final coding is not chunked is
                // delimited by closing the connection.
                state = chunked ? .chunkSize : .untilClose
                return nil
            }
            let lengths = headers.filter { $0.name == "content-length" }.flatMap { $0.value.split(separator: ",") }
            if !lengths.isEmpty {
                var length: Int?
                for text in lengths {
                    let trimmed = text.trimmingSpaces
                    guard !trimmed.isEmpty, trimmed.utf8.count <= 18, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                        let value = Int(trimmed), length == nil || length == value
                    else { return fail(.badFraming("bad Content-Length")) }
                    length = value
                }
                let size = length!
                if size > limit - received + (pending.count - position) {
                    // More than the cap allows in total; do not wait for it.
                    return fail(.tooLarge(limit: limit))
                }
                if size == 0 { return .complete(succeed()) }
                state = .body(remaining: size)
                return nil
            }
            state = .untilClose
            return nil
        }

        /// The next line's byte range in `pending` (without CR LF or LF), advancing past it;
        /// nil when no whole line has arrived.
        private mutating func nextLine() -> Range<Int>? {
            let from = max(position, scanned)
            guard let newline = pending[from...].firstIndex(of: 0x0A) else {
                scanned = pending.count
                return nil
            }
            var end = newline
            if end > position && pending[end - 1] == 0x0D { end -= 1 }
            let line = position..<end
            position = newline + 1
            return line
        }

        private mutating func needMoreOrLineTooLong() -> DecodeStatus {
            if pending.count - position > Self.maxLineLength { return fail(.badFraming("line longer than \(Self.maxLineLength) bytes")) }
            return .needMore
        }

        private mutating func succeed() -> ReplyResult {
            let outcome = ReplyResult.success(.http(HTTPResponse(status: status, reason: reason, headers: headers, body: body)))
            finishWith(outcome)
            return outcome
        }

        private mutating func fail(_ error: TransportError) -> DecodeStatus {
            let outcome = ReplyResult.failure(error)
            finishWith(outcome)
            return .complete(outcome)
        }

        private mutating func finishWith(_ outcome: ReplyResult) {
            result = outcome
            pending = []
            body = []
            headers = []
            position = 0
        }

        /// `HTTP/d.d SP ddd [SP reason]`.
        static func parseStatusLine(_ line: ArraySlice<UInt8>) -> (Int, String)? {
            let bytes = Array(line)
            guard bytes.count >= 12, bytes.starts(with: Array("HTTP/".utf8)),
                isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), isDigit(bytes[7]), bytes[8] == 0x20,
                isDigit(bytes[9]), isDigit(bytes[10]), isDigit(bytes[11])
            else { return nil }
            let code = Int(bytes[9] - 0x30) * 100 + Int(bytes[10] - 0x30) * 10 + Int(bytes[11] - 0x30)
            guard code >= 100 else { return nil }
            if bytes.count == 12 { return (code, "") }
            guard bytes[12] == 0x20 else { return nil }
            return (code, String(decoding: trimmed(bytes[13...]), as: UTF8.self))
        }

        /// Hex digits, then optional whitespace and `;extensions`. At most 15 digits, so the
        /// value fits in an Int.
        static func parseChunkSize(_ line: ArraySlice<UInt8>) -> Int? {
            var value = 0
            var digits = 0
            var index = line.startIndex
            while index < line.endIndex, let digit = hexValue(line[index]) {
                value = value << 4 | digit
                digits += 1
                index += 1
            }
            guard digits > 0, digits <= 15 else { return nil }
            while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
            guard index == line.endIndex || line[index] == UInt8(ascii: ";") else { return nil }
            return value
        }

        /// The first 40 bytes as printable ASCII (others as `?`), for error messages that
        /// may reach a terminal.
        static func printable(_ bytes: ArraySlice<UInt8>) -> String {
            let shown = bytes.prefix(40).map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "?" }
            return String(shown) + (bytes.count > 40 ? "..." : "")
        }

        private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

        private static func hexValue(_ byte: UInt8) -> Int? {
            switch byte {
            case 0x30...0x39: return Int(byte - 0x30)
            case 0x41...0x46: return Int(byte - 0x41 + 10)
            case 0x61...0x66: return Int(byte - 0x61 + 10)
            default: return nil
            }
        }

        /// Without leading and trailing spaces and tabs.
        static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var slice = bytes
            while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
            while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
            return slice
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
