import BitlinkCore
import Glibc
import Testing
@testable import BitlinkSim

/// Plain blocking-style client sockets for the simulator tests: loopback only, every
/// wait bounded by a timeout.
enum SimTestClient {
    enum End: Equatable {
        case eof
        case timeout
        case reset
        case error(Int32)
    }

    struct Result {
        var bytes: [UInt8]
        var end: End
        var text: String { String(decoding: bytes, as: UTF8.self) }
        /// The bytes without a trailing NUL.
        var payload: [UInt8] { bytes.last == 0 ? Array(bytes.dropLast()) : bytes }
    }

    /// Connects within `timeoutMs`; nil when the connect did not finish (or was refused).
    static func connect(_ address: IPv4Address, _ port: UInt16, timeoutMs: Int32 = 2000) -> Int32? {
        precondition(address.isLoopback, "tests only talk to loopback")
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return nil }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = address.value.bigEndian
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            guard errno == EINPROGRESS else { close(fd); return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, timeoutMs) == 1 else { close(fd); return nil }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { close(fd); return nil }
        }
        return fd
    }

    /// Why a connect failed: `.timeout` (no SYN-ACK) or `.error(ECONNREFUSED)`.
    static func connectFailure(_ address: IPv4Address, _ port: UInt16, timeoutMs: Int32) -> End? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = address.value.bigEndian
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return nil }
        guard errno == EINPROGRESS else { return .error(errno) }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&pfd, 1, timeoutMs) == 1 else { return .timeout }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0 ? nil : .error(error)
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, 2000) == 1 else { return }
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until EOF, an error, `limit` bytes, `stopAt` returning true, or `timeoutMs` of silence.
    static func read(_ fd: Int32, timeoutMs: Int32 = 2000, limit: Int = 1 << 26,
                     stopAt: (([UInt8]) -> Bool)? = nil) -> Result {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, timeoutMs) == 1 else { return Result(bytes: bytes, end: .timeout) }
            let n = Glibc.read(fd, &buffer, min(buffer.count, limit - bytes.count))
            if n == 0 { return Result(bytes: bytes, end: .eof) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return Result(bytes: bytes, end: errno == ECONNRESET ? .reset : .error(errno))
            }
            bytes.append(contentsOf: buffer[0..<n])
            if let stopAt, stopAt(bytes) { break }
        }
        return Result(bytes: bytes, end: .timeout)
    }

    /// Connect, send, read until EOF (or timeout), close.
    static func exchange(_ address: IPv4Address, _ port: UInt16, _ request: [UInt8], timeoutMs: Int32 = 2000) -> Result? {
        guard let fd = connect(address, port, timeoutMs: timeoutMs) else { return nil }
        defer { close(fd) }
        send(fd, request)
        return read(fd, timeoutMs: timeoutMs)
    }

    static func cgminer(_ address: IPv4Address, _ port: UInt16, _ command: String) -> Result? {
        exchange(address, port, Array("{\"command\":\"\(command)\"}".utf8))
    }

    static func httpGet(_ address: IPv4Address, _ port: UInt16, _ path: String) -> Result? {
        exchange(address, port, Array("GET \(path) HTTP/1.1\r\nHost: \(address)\r\nConnection: close\r\n\r\n".utf8))
    }

    /// One Whatsminer v3 exchange on an open connection: framed request, framed reply payload.
    static func v3(_ fd: Int32, _ json: String) -> [UInt8]? {
        let payload = Array(json.utf8)
        let n = UInt32(payload.count)
        send(fd, [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)] + payload)
        let head = read(fd, limit: 4, stopAt: { $0.count >= 4 })
        guard head.bytes.count == 4 else { return nil }
        let length = Int(head.bytes[0]) | Int(head.bytes[1]) << 8 | Int(head.bytes[2]) << 16 | Int(head.bytes[3]) << 24
        let body = read(fd, limit: length, stopAt: { $0.count >= length })
        return body.bytes.count == length ? body.bytes : nil
    }

    /// HTTP body after the blank line.
    static func body(_ response: [UInt8]) -> [UInt8] {
        guard let end = (0..<max(0, response.count - 3)).first(where: {
            response[$0] == 13 && response[$0 + 1] == 10 && response[$0 + 2] == 13 && response[$0 + 3] == 10
        }) else { return [] }
        return Array(response[(end + 4)...])
    }
}

/// Shared test helpers.
enum SimTestSupport {
    static var fixturesRoot: String {
        let file = #filePath
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3) // Simulator/<file>, BitlinkCoreTests
        return parts.joined(separator: "/") + "/Fixtures"
    }

    static func fixture(_ relative: String) -> [UInt8] {
        read(fixturesRoot + "/" + relative)
    }

    static func read(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "rb") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            bytes.append(contentsOf: chunk[0..<n])
            if n < chunk.count { break }
        }
        return bytes
    }

    /// Ports used by the tests (no root needed).
    static let ports = PortPlan(api: 34028, http: 30080, whatsminerV3: 34433)

    /// A fleet of the named models, one each, on its own /24 (tests run in parallel).
    static func fleet(_ models: [String], subnet: String, faults: [Int: Set<Fault>] = [:],
                      seed: UInt64 = 7, oversize: Int = 64 << 20, logPath: String? = nil) throws -> Fleet {
        try Fleet.start(FleetConfig(
            count: models.count, mix: FleetMix(models.map { FleetMix.Entry($0, 1) }),
            subnet: try LoopbackSubnet(parsing: subnet), seed: seed, ports: ports, minerFaults: faults,
            clock: .manual, fixturesRoot: fixturesRoot, logPath: logPath, oversizeBytes: oversize))
    }

    /// The index of the miner running `model` (mixes are shuffled by the seed).
    static func index(of model: String, in fleet: Fleet) -> Int {
        fleet.miners.first { $0.model.name == model }!.index
    }

    /// The JSON of a CGMiner reply (NUL stripped; `}{` repaired when asked, as clients do).
    static func json(_ result: SimTestClient.Result?, repair: Bool = false) throws -> JSONValue {
        let result = try #require(result)
        let bytes = repair ? FixtureRepair.cgminer(result.payload) : result.payload
        return try #require(SimJSON.parse(bytes))
    }

    /// The JSON body of an HTTP reply.
    static func httpJSON(_ result: SimTestClient.Result?) throws -> JSONValue {
        let result = try #require(result)
        return try #require(SimJSON.parse(SimTestClient.body(result.bytes)))
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        guard haystack.count >= pattern.count else { return false }
        return (0...(haystack.count - pattern.count)).contains { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
