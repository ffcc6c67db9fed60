import BitlinkCore
import Testing

@testable import BitlinkSim

/// bitlink only reads (DESIGN.md section 6): every request the engine writes while it
/// identifies and reads each simulated model (every model in the simulator's catalog,
/// so every family and firmware) is on the read-only list, none is privileged, and the
/// simulator received exactly the requests the engine's observer saw.
@Suite("Integration: bitlink only sends read-only requests")
struct IntegrationReadOnlyTests {
    @Test func everyRequestToEveryModelIsReadOnly() throws {
        let names = ModelCatalog.all.map(\.name)
        let fleet = try Integration.fleet(names, subnet: "127.88.100.0/24")
        defer { fleet.stop() }
        var sent: [SentRequest] = []
        var families: Set<MinerFamily> = []
        for miner in fleet.miners {
            // Identify and read, then read again as `watch` does with the identification kept.
            let first = try Integration.read(miner.address)
            sent += first.sent
            #expect(!first.sent.isEmpty, "\(miner.model.name): nothing sent")
            if let identification = first.reading?.identification {
                families.insert(identification.family)
                let again = try Integration.read(miner.address, identification: identification)
                sent += again.sent
            }
        }
        // The catalog covers every family with a network API.
        #expect(families.isSuperset(of: [.antminer, .whatsminer, .avalon, .braiins, .axeos, .nmminer, .cgminer]), "\(families)")

        for request in sent {
            #expect(AdapterRegistry.isReadOnly(request.request), "not read-only: \(request.request) to \(request.address)")
            #expect(!Self.isPrivileged(request), "privileged: \(request.request) to \(request.address)")
            #expect(Self.wireMatchesRequest(request), "bytes do not say \(request.request): \(Self.text(request.bytes))")
        }

        // What the simulator received is exactly what the observer saw, request for request.
        let observed = sent.map(Self.key).sorted()
        let received = fleet.requestLog.map { entry in
            Key(address: entry.address, port: entry.port, payload: entry.request)
        }.sorted()
        #expect(observed.count >= 2 * names.count, "every model was probed and read")
        #expect(observed.count == received.count, "observer saw \(observed.count), simulator logged \(received.count)")
        #expect(observed == received)
    }

    /// A privileged or writing command: a CGMiner member on the privileged list (or any
    /// `ascset`-style write), a Whatsminer v3 `set.*`, an HTTP method other than GET, or a
    /// path that performs a write on GET.
    static func isPrivileged(_ sent: SentRequest) -> Bool {
        switch sent.request.kind {
        case .cgminer(let command, _):
            return command.lowercased().split(separator: "+").contains { AdapterRegistry.privilegedCommands.contains(String($0)) }
        case .whatsminerV3(let command, _):
            return command.hasPrefix("set.") || !command.hasPrefix("get.")
        case .httpGet(let path):
            let writes = ["reboot", "set_", "blink.cgi", "reset", "passwd", "upgrade", "restart"]
            return !text(sent.bytes).hasPrefix("GET ") || writes.contains { path.contains($0) }
        }
    }

    /// The exact bytes say what the request says: the CGMiner JSON names the command, the
    /// HTTP request line is a GET of the path, the v3 frame's JSON names the command.
    static func wireMatchesRequest(_ sent: SentRequest) -> Bool {
        let bytes = sent.bytes
        switch sent.request.kind {
        case .cgminer(let command, let parameter):
            guard let json = try? JSONParser.parse(bytes) else { return false }
            return json["command"]?.stringValue == command && json["parameter"]?.stringValue == parameter
        case .httpGet(let path):
            return text(bytes).hasPrefix("GET \(path) HTTP/1.1\r\n") && text(bytes).hasSuffix("\r\n\r\n")
        case .whatsminerV3(let command, let parameter):
            guard bytes.count > 4 else { return false }
            let length = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
            guard length == bytes.count - 4, let json = try? JSONParser.parse(Array(bytes[4...])) else { return false }
            return json["cmd"]?.stringValue == command && json["param"]?.stringValue == parameter
        }
    }

    struct Key: Comparable, CustomStringConvertible {
        var address: String
        var port: UInt16
        var payload: String

        static func < (a: Key, b: Key) -> Bool { (a.address, a.port, a.payload) < (b.address, b.port, b.payload) }
        var description: String { "\(address):\(port) \(payload.debugDescription)" }
    }

    /// The simulator logs the CGMiner request text, the HTTP head and the v3 JSON payload.
    static func key(_ sent: SentRequest) -> Key {
        var payload = sent.bytes
        if case .whatsminerV3 = sent.request.kind { payload.removeFirst(min(4, payload.count)) }
        return Key(address: sent.address.description, port: sent.port, payload: text(payload))
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
