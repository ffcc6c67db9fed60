/// One read-only request to a miner: what to send, on which of the miner's ports, and
/// how the reply is framed. Adapters build these; the IO engine executes them.
public struct Request: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// CGMiner API on the API port: `{"command":"<command>"}` (with `"parameter"` when
        /// given). Multi-commands are `a+b+c`. The reply ends at EOF or at the first NUL.
        case cgminer(command: String, parameter: String? = nil)
        /// HTTP/1.1 GET on the HTTP port. Redirects are never followed.
        case httpGet(path: String)
        /// Whatsminer API v3 on port 4433: 4-byte little-endian length, then JSON
        /// `{"cmd":"<command>","param":"<parameter>"}`; the reply is framed the same way.
        case whatsminerV3(command: String, parameter: String? = nil)
    }

    /// Which of the miner's ports the request goes to.
    public enum Port: Hashable, Sendable {
        /// The CGMiner API port (`miners.api_port`, default 4028).
        case api
        /// The HTTP port (`miners.http_port`, default 80).
        case http
        /// The Whatsminer API v3 port (4433).
        case whatsminerV3
    }

    public var kind: Kind
    public var port: Port

    public init(_ kind: Kind, port: Port? = nil) {
        self.kind = kind
        switch kind {
        case .cgminer: self.port = port ?? .api
        case .httpGet: self.port = port ?? .http
        case .whatsminerV3: self.port = port ?? .whatsminerV3
        }
    }

    public static func cgminer(_ command: String, parameter: String? = nil) -> Request {
        Request(.cgminer(command: command, parameter: parameter))
    }

    public static func http(_ path: String) -> Request {
        Request(.httpGet(path: path))
    }

    public static func whatsminerV3(_ command: String, parameter: String? = nil) -> Request {
        Request(.whatsminerV3(command: command, parameter: parameter))
    }

    public var description: String {
        switch kind {
        case .cgminer(let command, let parameter):
            return parameter.map { "cgminer \(command)|\($0)" } ?? "cgminer \(command)"
        case .httpGet(let path): return "GET \(path)"
        case .whatsminerV3(let command, let parameter):
            return parameter.map { "v3 \(command) \($0)" } ?? "v3 \(command)"
        }
    }
}

/// The actual ports of one miner, resolving `Request.Port`.
public struct MinerPorts: Hashable, Sendable {
    public var api: UInt16
    public var http: UInt16
    public var whatsminerV3: UInt16

    public init(api: UInt16 = 4028, http: UInt16 = 80, whatsminerV3: UInt16 = 4433) {
        self.api = api
        self.http = http
        self.whatsminerV3 = whatsminerV3
    }

    public static let standard = MinerPorts()

    public func resolve(_ port: Request.Port) -> UInt16 {
        switch port {
        case .api: return api
        case .http: return http
        case .whatsminerV3: return whatsminerV3
        }
    }
}

/// An HTTP response as read off the wire (body de-chunked).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    /// Header names are lower-cased; repeated headers are kept in order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, reason: String = "", headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The first header with this (case-insensitive) name.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first(where: { $0.name == lowered })?.value
    }

    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }
}

/// What came back for one request.
public enum Reply: Sendable, Equatable {
    /// The raw reply bytes of a CGMiner or Whatsminer v3 exchange (framing removed:
    /// the trailing NUL and the v3 length prefix are not included).
    case bytes([UInt8])
    case http(HTTPResponse)

    public var bytes: [UInt8] {
        switch self {
        case .bytes(let bytes): return bytes
        case .http(let response): return response.body
        }
    }
}

/// Why an exchange failed at the transport level.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ECONNREFUSED: the host answered, nothing listens on the port.
    case refused
    /// EHOSTUNREACH, ENETUNREACH: no route.
    case unreachable
    /// The deadline passed (connect, write or read).
    case timeout
    /// ECONNRESET, EPIPE: the peer dropped the connection.
    case reset
    /// The reply exceeded the size cap.
    case tooLarge(limit: Int)
    /// A reply that breaks the framing (bad HTTP status line, bad chunk, bad v3 length).
    case badFraming(String)
    /// Any other errno.
    case other(errno: Int32, message: String)

    public var description: String {
        switch self {
        case .refused: return "connection refused"
        case .unreachable: return "host unreachable"
        case .timeout: return "timed out"
        case .reset: return "connection reset by peer"
        case .tooLarge(let limit): return "reply larger than \(limit) bytes"
        case .badFraming(let why): return "bad reply framing: \(why)"
        case .other(let errno, let message): return "\(message) (errno \(errno))"
        }
    }
}

public typealias ReplyResult = Result<Reply, TransportError>

/// The replies gathered for one miner, looked up by the request that produced them.
public struct Replies: Sendable {
    public private(set) var results: [Request: ReplyResult]

    public init(_ results: [Request: ReplyResult] = [:]) { self.results = results }

    public subscript(request: Request) -> ReplyResult? {
        get { results[request] }
        set { results[request] = newValue }
    }

    /// The reply, if the exchange succeeded.
    public func reply(_ request: Request) -> Reply? {
        if case .success(let reply) = results[request] { return reply }
        return nil
    }

    public mutating func merge(_ other: Replies) {
        for (request, result) in other.results { results[request] = result }
    }
}
