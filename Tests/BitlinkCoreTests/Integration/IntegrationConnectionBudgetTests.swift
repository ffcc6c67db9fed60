import BitlinkCore
import Testing

@testable import BitlinkSim

/// How many requests and TCP connections it takes to identify and read one miner of each
/// family (issue target: at most 3 connections), and to read it again with the family known
/// (`watch`). Prints the table for the closing note.
@Suite("Integration: connections per family")
struct IntegrationConnectionBudgetTests {
    /// One model per family and firmware, as in `FamilyReadTests`.
    static let models = IntegrationFamilyReadTests.cases.map(\.sim)

    @Test func identifyAndReadInAtMostThreeConnections() throws {
        let fleet = try Integration.fleet(Self.models, subnet: "127.88.101.0/24")
        defer { fleet.stop() }
        // Requests: sent on the wire / planned (a probe to a closed port is planned, not sent).
        // Connections: established / attempted (a refused probe port is one attempt).
        var rows: [[String]] = [["family", "model (sim)", "identify+read: req", "conn", "re-read: req", "conn"]]
        for name in Self.models {
            let miner = try Integration.miner(name, in: fleet)
            fleet.clearRequestLog()
            let first = try Integration.read(miner.address)
            let reading = try #require(first.reading, "\(name): \(String(describing: first.error))")
            // One engine per read: its counters are this host's alone.
            #expect(first.counters.connectionsAttempted == first.outcome.connections, "\(name)")
            #expect(first.sent.count <= first.outcome.requests, "\(name)")
            #expect(fleet.requestLog.count == first.sent.count, "\(name): the simulator got every request sent, once")
            #expect(first.outcome.connections <= 3, "\(name): \(first.outcome.connections) connections")

            fleet.clearRequestLog()
            let again = try Integration.read(miner.address, identification: reading.identification)
            #expect(again.reading != nil, "\(name): re-read failed: \(String(describing: again.error))")
            #expect(again.outcome.connections <= first.outcome.connections, "\(name): a re-read costs no more")
            #expect(fleet.requestLog.count == again.sent.count, "\(name)")
            rows.append([
                reading.identification.family.rawValue, name,
                "\(first.sent.count)/\(first.outcome.requests)",
                "\(first.counters.connectionsEstablished)/\(first.outcome.connections)",
                "\(again.sent.count)/\(again.outcome.requests)",
                "\(again.counters.connectionsEstablished)/\(again.outcome.connections)",
            ])
        }
        print(Self.table(rows))
    }

    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
