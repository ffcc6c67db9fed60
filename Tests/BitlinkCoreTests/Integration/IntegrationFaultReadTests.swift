import BitlinkCore
import Testing

@testable import BitlinkSim

/// Every simulator fault, seen through bitlink's engine and reader (an S19 Pro on stock
/// firmware: API and HTTP ports). Deadlines are short; timings are only ever checked as
/// "ended before the deadline plus a generous margin", never as a lower bound.
@Suite("Integration: simulator faults as bitlink sees them")
struct IntegrationFaultReadTests {
    /// 1 s per connect and per exchange, 2 s for the whole host.
    static let short = MinerReader.Timing(connect: .seconds(1), stage: .seconds(1), host: .seconds(2))
    /// What "ended in time" allows beyond the host deadline (scheduling on a busy 2-core box).
    static let margin = Duration.seconds(3)

    private func faulty(_ fault: Fault, _ octet: Int, oversize: Int = 8 << 20) throws -> (Fleet, SimulatedMiner) {
        let fleet = try Integration.fleet(["s19-pro"], subnet: "127.88.\(octet).0/24", faults: [0: [fault]], oversize: oversize)
        return (fleet, try fleet.miner(0))
    }

    @Test("dead: connects time out, nothing answered")
    func dead() throws {
        let (fleet, miner) = try faulty(.dead, 60)
        defer { fleet.stop() }
        let run = try Integration.read(miner.address, timing: Self.short)
        #expect(run.error == .transport(.timeout))
        #expect(run.outcome.answered == false)
        #expect(run.counters.connectionsEstablished == 0)
        #expect(run.elapsed < Self.short.host + Self.margin)
        #expect(fleet.requestLog.isEmpty, "nothing reached the miner")
        // Healed, the same miner reads.
        try fleet.setFault(0, nil)
        #expect(try Integration.read(miner.address, timing: Self.short).reading?.status.identity.model == "S19 Pro")
    }

    @Test("hold: accepted, the request read, no answer: a timeout after connecting")
    func hold() throws {
        let (fleet, miner) = try faulty(.hold, 61)
        defer { fleet.stop() }
        let run = try Integration.read(miner.address, timing: Self.short)
        #expect(run.error == .transport(.timeout))
        #expect(run.outcome.answered == true)
        #expect(run.counters.bytesReceived == 0)
        #expect(run.elapsed < Self.short.host + Self.margin)
        #expect(Set(fleet.requestLog.map(\.command)) == ["version+devdetails", "GET /api/system/info"])
    }

    @Test("drip: a byte per sim second is not a reply: a timeout after connecting, some bytes read")
    func drip() throws {
        let (fleet, miner) = try faulty(.drip, 62)
        defer { fleet.stop() }
        // One sim second per engine tick (20 ms): bytes trickle in while the deadline runs.
        let run = try Integration.read(miner.address, timing: Self.short) { fleet.advance(seconds: 1) }
        #expect(run.error == .transport(.timeout))
        #expect(run.outcome.answered == true)
        #expect(run.counters.bytesReceived > 0, "the drip reached bitlink")
        #expect(run.counters.bytesReceived < 1000, "far less than a reply")
        #expect(run.elapsed < Self.short.host + Self.margin)
    }

    @Test("reset: half a reply then RST: a reset or a protocol error")
    func reset() throws {
        let (fleet, miner) = try faulty(.reset, 63)
        defer { fleet.stop() }
        let run = try Integration.read(miner.address, timing: Self.short)
        let error = try #require(run.error, "a reset miner must not read")
        switch error {
        case .transport(.reset), .protocolViolation: break
        default: Issue.record("expected a reset or a protocol error, got \(error)")
        }
        #expect(run.outcome.answered == true)
        #expect(run.elapsed < Self.short.host + Self.margin)
    }

    @Test("truncated: a cut reply is a protocol violation")
    func truncated() throws {
        let (fleet, miner) = try faulty(.truncated, 64)
        defer { fleet.stop() }
        let run = try Integration.read(miner.address, timing: Self.short)
        #expect(Self.isProtocolViolation(run.error), "\(String(describing: run.error))")
        #expect(run.outcome.answered == true)
        #expect(run.elapsed < Self.short.host + Self.margin)
    }

    @Test("garbage: bytes that are not a reply are a protocol violation")
    func garbage() throws {
        let (fleet, miner) = try faulty(.garbage, 65)
        defer { fleet.stop() }
        let run = try Integration.read(miner.address, timing: Self.short)
        #expect(Self.isProtocolViolation(run.error), "\(String(describing: run.error))")
        #expect(run.outcome.answered == true)
        #expect(run.elapsed < Self.short.host + Self.margin)
    }

    @Test("oversized: reading stops at the cap with tooLarge")
    func oversized() throws {
        let cap = 1 << 20
        let (fleet, miner) = try faulty(.oversized, 66, oversize: 8 << 20)
        defer { fleet.stop() }
        let run = try Integration.read(miner.address, timing: Self.short, maxReplyBytes: cap)
        #expect(run.error == .transport(.tooLarge(limit: cap)))
        #expect(run.outcome.answered == true)
        // Two exchanges (API and HTTP probes), each stopped within one receive buffer of the cap.
        #expect(run.counters.bytesReceived <= 2 * (cap + (64 << 10)), "read \(run.counters.bytesReceived) bytes")
        #expect(run.elapsed < Self.short.host + Self.margin)
    }

    @Test("keep-open: the reply ends at its NUL (or Content-Length), long before the deadline")
    func keepOpen() throws {
        let (fleet, miner) = try faulty(.keepOpen, 67)
        defer { fleet.stop() }
        // A generous deadline: waiting for EOF would cost a whole stage (5 s) per exchange and
        // end in timeouts, not a reading.
        let timing = MinerReader.Timing(connect: .seconds(2), stage: .seconds(5), host: .seconds(15))
        let run = try Integration.read(miner.address, timing: timing)
        let reading = try #require(run.reading, "\(String(describing: run.error))")
        #expect(reading.status.identity.model == "S19 Pro")
        #expect(Integration.isNear(reading.status.hashrate, 110_566.89e9, within: 0.05))
        #expect(run.elapsed < timing.stage, "no exchange waited for EOF")
    }

    @Test("flapping: down, then up, then down as sim time passes")
    func flapping() throws {
        let (fleet, miner) = try faulty(.flapping, 68)
        defer { fleet.stop() }
        var states: [Bool] = []
        for _ in 0..<3 {
            let run = try Integration.read(miner.address, timing: Self.short)
            if let reading = run.reading {
                #expect(reading.status.identity.model == "S19 Pro")
                states.append(true)
            } else {
                #expect(run.error == .transport(.timeout))
                #expect(run.outcome.answered == false)
                states.append(false)
            }
            fleet.advance(seconds: MinerState.flapHalfPeriod)
        }
        #expect(states[0] != states[1] && states[1] != states[2], "states \(states)")
    }

    @Test("sleeping: reachable, not hashing")
    func sleeping() throws {
        let (fleet, miner) = try faulty(.sleeping, 69)
        defer { fleet.stop() }
        let status = try #require(try Integration.read(miner.address, timing: Self.short).reading).status
        #expect(status.state == .sleeping)
        #expect(status.hashrate == 0)
        #expect(status.identity.model == "S19 Pro")
    }

    @Test("overheating: a chip above 90 C")
    func overheating() throws {
        let (fleet, miner) = try faulty(.overheating, 70)
        defer { fleet.stop() }
        let status = try #require(try Integration.read(miner.address, timing: Self.short).reading).status
        #expect((status.tempChipMax ?? 0) > 90, "chip max \(String(describing: status.tempChipMax))")
        #expect(status.boards.contains { ($0.tempChip ?? 0) > 90 })
    }

    @Test("fan: one fan at 0 RPM, the others turning")
    func fan() throws {
        let (fleet, miner) = try faulty(.fanFailure, 71)
        defer { fleet.stop() }
        let status = try #require(try Integration.read(miner.address, timing: Self.short).reading).status
        #expect(status.fans.count == 4)
        #expect(status.fans.filter { $0.rpm == 0 }.count == 1, "\(status.fans)")
        #expect(status.fans.filter { ($0.rpm ?? 0) > 4000 }.count == 3)
    }

    @Test("rebooting: uptime and share counters restart")
    func rebooting() throws {
        let (fleet, miner) = try faulty(.rebooting, 72)
        defer { fleet.stop() }
        // Sim time 0: no reboot yet; the capture's `Elapsed` 50474 and `Accepted` 4057.
        let before = try #require(try Integration.read(miner.address, timing: Self.short).reading).status
        #expect(before.uptime == 50_474)
        #expect((before.sharesAccepted ?? 0) >= 4057)
        // A reboot comes every 300 sim seconds (its phase from the seed): one has happened by 301.
        fleet.advance(seconds: MinerState.rebootPeriod + 1)
        let after = try #require(try Integration.read(miner.address, timing: Self.short).reading).status
        #expect((after.uptime ?? .infinity) <= MinerState.rebootPeriod + 1, "uptime \(String(describing: after.uptime))")
        #expect((after.sharesAccepted ?? .max) < (before.sharesAccepted ?? 0), "accepted restarted")
    }

    static func isProtocolViolation(_ error: ReadError?) -> Bool {
        switch error {
        case .protocolViolation?, .transport(.badFraming)?: return true
        default: return false
        }
    }
}
