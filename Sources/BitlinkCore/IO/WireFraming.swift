/// The three wire formats bitlink speaks, as pure functions over bytes: request encoders
/// and incremental reply decoders. No sockets, clocks or globals, so every framing rule is
/// tested by feeding bytes whole, one at a time, or split at random points.
///
/// The IO engine feeds each decoder whatever `recv` returned and stops reading as soon as
/// the decoder says the reply is complete; at end of stream it calls `finish()`.
public enum WireFraming {
    /// The default cap on one reply (4 MiB). The largest real replies seen are tens of
    /// kilobytes (protocols.md section 1, "Size"); the cap only stops hostile or broken
    /// devices from exhausting memory.
    public static let defaultReplyLimit = 4 << 20

    /// What a decoder says after a chunk of input.
    public enum DecodeStatus: Sendable, Equatable {
        /// The reply is not complete yet.
        case needMore
        /// The reply is complete (or failed); later input is ignored.
        case complete(ReplyResult)
    }

    // MARK: - Requests

    /// The bytes of one request on the wire.
    /// - Parameters:
    ///   - kind: the request.
    ///   - address: the miner, for the HTTP `Host` header.
    ///   - port: the port, for the HTTP `Host` header (omitted when 80).
    public static func encode(_ kind: Request.Kind, address: IPv4Address, port: UInt16) -> [UInt8] {
        switch kind {
        case .cgminer(let command, let parameter):
            return cgminerRequest(command: command, parameter: parameter)
        case .httpGet(let path):
            return httpGetRequest(path: path, host: port == 80 ? address.description : "\(address):\(port)")
        case .whatsminerV3(let command, let parameter):
            return whatsminerV3Request(command: command, parameter: parameter)
        }
    }

    /// `{"command":"<command>"}`, with `,"parameter":"<parameter>"` when given; no terminator
    /// (cgminer reads one JSON object per connection).
    public static func cgminerRequest(command: String, parameter: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32 + command.utf8.count + (parameter?.utf8.count ?? 0))
        out.append(contentsOf: #"{"command":"#.utf8)
        JSONValue.writeString(command, into: &out)
        if let parameter {
            out.append(contentsOf: #","parameter":"#.utf8)
            JSONValue.writeString(parameter, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// An HTTP/1.1 GET with `Host`, `User-Agent: bitlink`, `Accept: application/json, */*`
    /// and `Connection: close`. Bytes of the path that cannot appear in a request line
    /// (controls, space, non-ASCII) are percent-encoded, so a path can never inject headers.
    /// - Parameters:
    ///   - path: the request target, for example `/api/system/info`; `/` is prepended if missing.
    ///   - host: the `Host` header value.
    public static func httpGetRequest(path: String, host: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + path.utf8.count + host.utf8.count)
        out.append(contentsOf: "GET ".utf8)
        if path.utf8.first != UInt8(ascii: "/") { out.append(UInt8(ascii: "/")) }
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in path.utf8 {
            if byte > 0x20 && byte < 0x7F {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        out.append(contentsOf: " HTTP/1.1\r\nHost: ".utf8)
        for byte in host.utf8 where byte >= 0x20 && byte != 0x7F { out.append(byte) }
        out.append(contentsOf: "\r\nUser-Agent: bitlink\r\nAccept: application/json, */*\r\nConnection: close\r\n\r\n".utf8)
        return out
    }

    /// A Whatsminer API v3 request: `{"cmd":"<command>","param":"<parameter>"}` (`param`
    /// omitted when nil) behind a 4-byte little-endian length.
    public static func whatsminerV3Request(command: String, parameter: String? = nil) -> [UInt8] {
        var json: [UInt8] = []
        json.reserveCapacity(32 + command.utf8.count + (parameter?.utf8.count ?? 0))
        json.append(contentsOf: #"{"cmd":"#.utf8)
        JSONValue.writeString(command, into: &json)
        if let parameter {
            json.append(contentsOf: #","param":"#.utf8)
            JSONValue.writeString(parameter, into: &json)
        }
        json.append(UInt8(ascii: "}"))
        return whatsminerV3Frame(json)
    }

    /// Puts the 4-byte little-endian length in front of a v3 payload (the simulator frames
    /// its replies with this too).
    public static func whatsminerV3Frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(truncatingIfNeeded: payload.count)
        var out: [UInt8] = [
            UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24),
        ]
        out.append(contentsOf: payload)
        return out
    }

    // MARK: - Any reply

    /// The decoder for a request's reply, whichever its framing.
    public struct ReplyDecoder: Sendable {
        private enum Storage: Sendable {
            case cgminer(CGMinerDecoder)
            case http(HTTPDecoder)
            case whatsminerV3(WhatsminerV3Decoder)
            case moved
        }

        private var storage: Storage

        /// - Parameters:
        ///   - kind: the request whose reply is decoded.
        ///   - limit: the most bytes one reply may take.
        public init(for kind: Request.Kind, limit: Int = WireFraming.defaultReplyLimit) {
            switch kind {
            case .cgminer: storage = .cgminer(CGMinerDecoder(limit: limit))
            case .httpGet: storage = .http(HTTPDecoder(limit: limit))
            case .whatsminerV3: storage = .whatsminerV3(WhatsminerV3Decoder(limit: limit))
            }
        }

        /// Consumes received bytes.
        public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> DecodeStatus {
            // Take the payload out before mutating it, so its buffers stay uniquely
            // referenced and appends do not copy.
            let current = storage
            storage = .moved
            switch current {
            case .cgminer(var decoder):
                let status = decoder.feed(chunk)
                storage = .cgminer(decoder)
                return status
            case .http(var decoder):
                let status = decoder.feed(chunk)
                storage = .http(decoder)
                return status
            case .whatsminerV3(var decoder):
                let status = decoder.feed(chunk)
                storage = .whatsminerV3(decoder)
                return status
            case .moved:
                return .complete(.failure(.badFraming("decoder used after it was moved")))
            }
        }

        /// Consumes received bytes (convenience for tests and the simulator).
        public mutating func feed(_ bytes: [UInt8]) -> DecodeStatus {
            bytes.withUnsafeBytes { feed($0) }
        }

        /// The result at end of stream.
        public mutating func finish() -> ReplyResult {
            switch storage {
            case .cgminer(var decoder): return decoder.finish()
            case .http(var decoder): return decoder.finish()
            case .whatsminerV3(var decoder): return decoder.finish()
            case .moved: return .failure(.badFraming("decoder used after it was moved"))
            }
        }

        /// Bytes received after a complete v3 message: the start of the next one on the
        /// same connection. Empty for the other framings, which end the connection.
        public mutating func takeLeftover() -> [UInt8] {
            guard case .whatsminerV3(var decoder) = storage else { return [] }
            storage = .moved
            let leftover = decoder.takeLeftover()
            storage = .whatsminerV3(decoder)
            return leftover
        }
    }

    // MARK: - CGMiner API

    /// CGMiner API reply: everything up to the first NUL, or to end of stream when the
    /// firmware sends no NUL. Completes at the NUL without waiting for end of stream, since
    /// some firmware keeps the socket open after it.
    public struct CGMinerDecoder: Sendable {
        /// The most bytes the reply may take (without the NUL).
        public let limit: Int
        private var buffer: [UInt8] = []
        private var result: ReplyResult?

        /// - Parameter limit: the most bytes the reply may take.
        public init(limit: Int = WireFraming.defaultReplyLimit) { self.limit = limit }

        /// Consumes received bytes.
        public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> DecodeStatus {
            if let result { return .complete(result) }
            let nul = chunk.firstIndex(of: 0)
            let take = nul ?? chunk.count
            if take > limit - buffer.count { return complete(.failure(.tooLarge(limit: limit))) }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<take]))
            if nul != nil { return complete(.success(.bytes(buffer))) }
            return .needMore
        }

        /// The result at end of stream: the bytes so far, or `.badFraming` when the peer
        /// closed without sending anything.
        public mutating func finish() -> ReplyResult {
            if let result { return result }
            if buffer.isEmpty { return .failure(.badFraming("connection closed without a reply")) }
            return .success(.bytes(buffer))
        }

        private mutating func complete(_ outcome: ReplyResult) -> DecodeStatus {
            result = outcome
            buffer = []
            return .complete(outcome)
        }
    }

    // MARK: - Whatsminer API v3

    /// Whatsminer API v3 reply: a 4-byte little-endian length, then that many bytes of JSON.
    /// A zero length is `.badFraming`; a length over the cap is `.tooLarge` (and nothing is
    /// allocated for it). Bytes after the message are kept as `takeLeftover()`.
    public struct WhatsminerV3Decoder: Sendable {
        /// The most bytes the payload may take.
        public let limit: Int
        private var buffer: [UInt8] = []
        private var expected: Int?
        private var leftover: [UInt8] = []
        private var result: ReplyResult?

        /// - Parameter limit: the most bytes the reply may take.
        public init(limit: Int = WireFraming.defaultReplyLimit) { self.limit = limit }

        /// Consumes received bytes.
        public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> DecodeStatus {
            if let result {
                leftover.append(contentsOf: chunk.prefix(max(0, limit - leftover.count)))
                return .complete(result)
            }
            var input = chunk[...]
            if expected == nil {
                let need = min(4 - buffer.count, input.count)
                buffer.append(contentsOf: input.prefix(need))
                input = input.dropFirst(need)
                guard buffer.count == 4 else { return .needMore }
                let length = Int(buffer[0]) | Int(buffer[1]) << 8 | Int(buffer[2]) << 16 | Int(buffer[3]) << 24
                if length == 0 { return complete(.failure(.badFraming("v3 message with length 0"))) }
                if length > limit { return complete(.failure(.tooLarge(limit: limit))) }
                expected = length
                buffer = []
                buffer.reserveCapacity(min(length, 64 << 10))
            }
            let remaining = expected! - buffer.count
            let take = min(remaining, input.count)
            buffer.append(contentsOf: input.prefix(take))
            guard buffer.count == expected! else { return .needMore }
            leftover.append(contentsOf: input.dropFirst(take))
            return complete(.success(.bytes(buffer)))
        }

        /// The result at end of stream: the peer closed before a whole message arrived.
        public mutating func finish() -> ReplyResult {
            if let result { return result }
            if expected == nil && buffer.isEmpty {
                return .failure(.badFraming("connection closed without a reply"))
            }
            return .failure(.badFraming("connection closed inside a v3 message"))
        }

        /// Bytes that arrived after the complete message.
        public mutating func takeLeftover() -> [UInt8] {
            defer { leftover = [] }
            return leftover
        }

        private mutating func complete(_ outcome: ReplyResult) -> DecodeStatus {
            result = outcome
            buffer = []
            return .complete(outcome)
        }
    }
}
