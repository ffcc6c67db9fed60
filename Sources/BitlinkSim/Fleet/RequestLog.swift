import BitlinkCore
import Glibc

/// One request a simulated miner received.
public struct RequestLogEntry: Sendable, Equatable {
    /// Unix time (sim epoch + sim time) when the request was complete.
    public var time: Double
    /// Sim seconds since the fleet started.
    public var simTime: Double
    /// Index of the miner in the fleet.
    public var miner: Int
    /// The miner address the request reached.
    public var address: String
    /// The port it reached.
    public var port: UInt16
    /// `cgminer`, `http` or `whatsminer-v3`.
    public var proto: String
    /// The request as received: the CGMiner request text, the HTTP request head, or the
    /// v3 JSON payload (without its length prefix).
    public var request: String
    /// The command or path: `version+devdetails`, `GET /api/system/info`, `get.device.info`.
    public var command: String

    /// The NDJSON line written to `--log` (without the newline).
    public var json: String {
        JSONValue.object(JSONObject([
            .init(key: "time", value: .double((time * 1000).rounded() / 1000)),
            .init(key: "sim_time", value: .double((simTime * 1000).rounded() / 1000)),
            .init(key: "miner", value: .int(Int64(miner))),
            .init(key: "address", value: .string(address)),
            .init(key: "port", value: .int(Int64(port))),
            .init(key: "protocol", value: .string(proto)),
            .init(key: "command", value: .string(command)),
            .init(key: "request", value: .string(request)),
        ])).encoded()
    }
}

/// Keeps request entries in memory (for tests) and appends them to an NDJSON file (for
/// tools), one line per request, flushed at once so a reader sees it immediately.
final class RequestLog {
    private(set) var entries: [RequestLogEntry] = []
    private let keepInMemory: Bool
    private var file: UnsafeMutablePointer<FILE>?
    /// Entries beyond this are dropped from memory (not from the file).
    private let memoryLimit = 2_000_000

    init(path: String?, keepInMemory: Bool) throws {
        self.keepInMemory = keepInMemory
        if let path {
            guard let handle = fopen(path, "w") else {
                throw SimError.invalidValue(what: "log file", value: path, why: SimError.errnoText(errno))
            }
            file = handle
        }
    }

    func append(_ entry: RequestLogEntry) {
        if keepInMemory, entries.count < memoryLimit { entries.append(entry) }
        if let file {
            fputs(entry.json + "\n", file)
            fflush(file)
        }
    }

    func clear() { entries.removeAll() }

    func close() {
        if let file { fclose(file) }
        file = nil
    }
}
