import BitlinkCore
import BitlinkSim
import Foundation
import Testing

/// `bitlink watch` and `history` against the simulator: health states and events over
/// rounds, share deltas across a reboot, --exec, hung miners, --once and --retain (issue 6).
@Suite("watch end to end")
struct WatchEndToEndTests {
    // The keys bitlink-watch(1) documents; keys may be added, never removed, so every
    // record must carry at least these.
    static let sampleKeys: Set<String> = [
        "type", "round", "time", "miner", "miner_id", "address", "status", "reasons", "hashrate_hs", "hashrate_expected_hs",
        "temp_max_c", "fan_min_rpm", "power_w", "accepted", "rejected", "new_accepted", "new_rejected", "uptime_s", "error",
    ]
    static let eventKeys: Set<String> = ["type", "time", "miner", "miner_id", "address", "old_status", "new_status", "reasons"]
    static let summaryKeys: Set<String> = [
        "type", "round", "time", "miners", "active", "warning", "dead", "hashrate_hs", "new_shares", "elapsed_ms",
    ]

    /// Scans the fleet into a fresh sandbox (tracking the fleet's wallet) and returns the
    /// stored miners' names by simulator index.
    static func scanned(_ sim: SimFleet, _ sandbox: Sandbox) throws -> [Int: String] {
        try sandbox.bitlink(["wallets", "add", SimFleet.wallet, "--label", "solo"])
        let scan = try sandbox.bitlink(sim.scanArguments(["--json"]))
        #expect(scan.status == 0, "\(scan)")
        var names: [Int: String] = [:]
        for record in try JSONLines.records(scan.stdout, type: "miner") {
            let miner = try #require(sim.miners.first { $0.address.description == record.string("address") })
            names[miner.index] = record.string("name")
        }
        #expect(names.count == sim.miners.count, "every miner stored")
        return names
    }

    @Test("watch --count 3: overheating, flapping, sleeping and fan-failed miners get the right states and events")
    func threeRounds() throws {
        let sim = try SimFleet(
            ["s19-pro", "s19-pro", "s19-pro", "avalon-1566", "avalon-1566", "s17-plus-vnish"], subnet: "127.90.20.0/24")
        defer { sim.stop() }
        let healthy = [sim.miners("s19-pro")[0], sim.miners("avalon-1566")[0]]
        let hot = sim.miners("s19-pro")[1]
        let flapper = sim.miners("s19-pro")[2]
        let sleeper = sim.miners("avalon-1566")[1]
        let fan = try sim.miner("s17-plus-vnish")

        // Two seconds into the flapping miner's up phase: it is up for the scan and round 1.
        sim.fleet.advance(seconds: sim.secondsToUpPhase(flapper.index, offset: 2))
        #expect(sim.flapUp(flapper.index, at: sim.fleet.simTime))
        let sandbox = Sandbox()
        let names = try Self.scanned(sim, sandbox)
        try sim.fleet.setFault(hot.index, .overheating)
        try sim.fleet.setFault(flapper.index, .flapping)
        try sim.fleet.setFault(sleeper.index, .sleeping)
        try sim.fleet.setFault(fan.index, .fanFailure)

        // The clock moves only between rounds: after each summary, well before the next
        // round starts (3 s after the previous one; a round here takes about a second at most).
        let run = try StreamingRun(sandbox, ["watch", "--count", "3", "--interval", "3s", "--timeout", "1s", "--json"])
        #expect(run.next(timeout: 30) { $0.contains("\"type\":\"summary\"") } != nil)
        sim.fleet.advance(seconds: 30)  // 32 s into the cycle: down
        #expect(!sim.flapUp(flapper.index, at: sim.fleet.simTime))
        #expect(run.next(timeout: 30) { $0.contains("\"type\":\"summary\"") } != nil)
        sim.fleet.advance(seconds: 10)  // 42 s: still down
        #expect(!sim.flapUp(flapper.index, at: sim.fleet.simTime))
        let result = run.finish(timeout: 30)
        #expect(result.status == 0, "\(result.stderr)")

        let records = try JSONLines.objects(result.stdout)
        let summaries = records.filter { $0.string("type") == "summary" }
        #expect(summaries.map { $0.int("round") } == [1, 2, 3])
        #expect(records.last?.string("type") == "summary")

        // Split into rounds: each ends with its summary, after its samples and events.
        var rounds: [[[String: Any]]] = [[]]
        for record in records {
            rounds[rounds.count - 1].append(record)
            if record.string("type") == "summary" { rounds.append([]) }
        }
        rounds.removeLast()
        #expect(rounds.count == 3)

        func sample(_ round: Int, _ miner: SimulatedMiner) throws -> [String: Any] {
            let found = rounds[round - 1].filter { $0.string("type") == "sample" && $0.string("address") == miner.address.description }
            try #require(found.count == 1, "one sample per miner per round")
            return found[0]
        }
        func events(_ round: Int) -> [[String: Any]] { rounds[round - 1].filter { $0.string("type") == "event" } }

        for (index, round) in rounds.enumerated() {
            let samples = round.filter { $0.string("type") == "sample" }
            #expect(samples.count == 6, "a sample per miner in round \(index + 1)")
            for record in samples {
                #expect(Self.sampleKeys.isSubset(of: record.keys), "\(Self.sampleKeys.subtracting(record.keys))")
                #expect(record.int("round") == index + 1)
            }
            for event in events(index + 1) {
                #expect(Self.eventKeys.isSubset(of: event.keys))
                // An event comes after the sample that caused it.
                let eventPosition = round.firstIndex { ($0 as NSDictionary) == (event as NSDictionary) }!
                let samplePosition = round.firstIndex { $0.string("type") == "sample" && $0.string("address") == event.string("address") }!
                #expect(samplePosition < eventPosition)
            }
            #expect(Self.summaryKeys.isSubset(of: round.last!.keys))
            #expect(round.last!.int("miners") == 6)
        }

        // Round 1: the three value faults are warnings, each one event from active.
        for miner in healthy + [flapper] {
            let record = try sample(1, miner)
            #expect(record.string("status") == "active", "\(miner.model.name): \(record)")
            #expect(record.strings("reasons").isEmpty)
            #expect(record.isNull("error"))
        }
        for (miner, reason) in [(hot, "chip temperature"), (sleeper, "sleeping"), (fan, "fan 0 stopped")] {
            let record = try sample(1, miner)
            #expect(record.string("status") == "warning", "\(miner.model.name): \(record)")
            #expect(record.strings("reasons").contains { $0.hasPrefix(reason) }, "\(record.strings("reasons"))")
            let event = try #require(events(1).first { $0.string("address") == miner.address.description })
            #expect(event.string("miner") == names[miner.index])
            #expect(event.string("old_status") == "active")
            #expect(event.string("new_status") == "warning")
            #expect(event.strings("reasons") == record.strings("reasons"))
        }
        #expect(try sample(1, hot).double("temp_max_c").map { $0 > 85 } == true)
        #expect(try sample(1, fan).double("fan_min_rpm") == 0)
        #expect(try sample(1, sleeper).double("hashrate_hs") == 0)
        #expect(events(1).count == 3)
        #expect(summaries[0].int("active") == 3 && summaries[0].int("warning") == 3 && summaries[0].int("dead") == 0)

        // Round 2: the flapping miner misses one poll; that alone does not make it dead.
        let missed = try sample(2, flapper)
        #expect(missed.string("status") == "active", "\(missed)")
        #expect(missed.string("error") != nil)
        #expect(missed.strings("reasons").count == 1)
        #expect(missed.strings("reasons").first?.hasPrefix("missed a poll: ") == true, "\(missed.strings("reasons"))")
        #expect(missed.isNull("hashrate_hs"))
        #expect(events(2).isEmpty, "no event for one missed poll: \(events(2))")
        #expect(summaries[1].int("active") == 3 && summaries[1].int("warning") == 3 && summaries[1].int("dead") == 0)

        // Round 3: the second failed poll in a row makes it dead, one event.
        let dead = try sample(3, flapper)
        #expect(dead.string("status") == "dead", "\(dead)")
        #expect(dead.strings("reasons").first?.hasPrefix("no answer for 2 polls: ") == true, "\(dead.strings("reasons"))")
        #expect(events(3).count == 1)
        let event = try #require(events(3).first)
        #expect(event.string("address") == flapper.address.description)
        #expect(event.string("old_status") == "active")
        #expect(event.string("new_status") == "dead")
        #expect(summaries[2].int("active") == 2 && summaries[2].int("warning") == 3 && summaries[2].int("dead") == 1)

        // The other miners kept their states through rounds 2 and 3.
        for round in [2, 3] {
            for miner in healthy { #expect(try sample(round, miner).string("status") == "active") }
            for miner in [hot, sleeper, fan] { #expect(try sample(round, miner).string("status") == "warning") }
        }
        // miners.status follows the last round.
        let stored = try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"]))
        #expect(stored.first { $0.string("ip_address") == flapper.address.description }?.string("status") == "dead")
        #expect(stored.first { $0.string("ip_address") == hot.address.description }?.string("status") == "warning")
    }

    @Test("share deltas across a reboot match the miner's own counters: no negative, no double count, linked wallet")
    func shareDeltasAcrossReboot() throws {
        let sim = try SimFleet(["s19-pro", "avalon-1566"], subnet: "127.90.21.0/24")
        defer { sim.stop() }
        let s19 = try sim.miner("s19-pro")
        let avalon = try sim.miner("avalon-1566")
        let sandbox = Sandbox()
        let names = try Self.scanned(sim, sandbox)

        var expected: [Int: (accepted: Int, rejected: Int, difficulty: Double)] = [:]
        func poll(round: Int, after previous: [Int: (accepted: Int, rejected: Int, difficulty: Double)]?, reset: Set<Int> = [])
            throws -> [Int: (accepted: Int, rejected: Int, difficulty: Double)]
        {
            // The miners' own counters, read straight from the simulator at this sim time.
            var counters: [Int: (accepted: Int, rejected: Int, difficulty: Double)] = [:]
            for miner in [s19, avalon] { counters[miner.index] = try SimProbe.poolCounters(miner.address) }
            let result = try sandbox.bitlink(["watch", "--once", "--json"])
            #expect(result.status == 0, "\(result)")
            let samples = try JSONLines.records(result.stdout, type: "sample")
            for miner in [s19, avalon] {
                let now = counters[miner.index]!
                var delta = (accepted: 0, rejected: 0, difficulty: 0.0)
                if let before = previous?[miner.index] {
                    // A reboot restarts the counters: everything since is new.
                    delta = reset.contains(miner.index)
                        ? now : (now.accepted - before.accepted, now.rejected - before.rejected, now.difficulty - before.difficulty)
                }
                let sample = try #require(samples.first { $0.string("address") == miner.address.description })
                #expect(sample.int("new_accepted") == delta.accepted, "round \(round), \(miner.model.name)")
                #expect(sample.int("new_rejected") == delta.rejected, "round \(round), \(miner.model.name)")
                var total = expected[miner.index] ?? (0, 0, 0)
                total.accepted += delta.accepted
                total.rejected += delta.rejected
                total.difficulty += delta.difficulty
                expected[miner.index] = total
            }
            let summary = try #require(try JSONLines.records(result.stdout, type: "summary").first)
            #expect(summary.int("new_shares") == samples.compactMap { $0.int("new_accepted") }.reduce(0, +))
            return counters
        }

        // Poll, advance (counters rise), poll, reboot, advance, poll, advance, poll.
        let first = try poll(round: 1, after: nil)
        #expect(try JSONLines.array(try sandbox.bitlink(["shares", "list", "--json"])).isEmpty, "the first poll is only a baseline")
        sim.fleet.advance(seconds: 600)
        let second = try poll(round: 2, after: first)
        #expect(second[s19.index]!.accepted > first[s19.index]!.accepted, "counters rose")
        try sim.fleet.reboot(s19.index)
        sim.fleet.advance(seconds: 300)
        let third = try poll(round: 3, after: second, reset: [s19.index])
        #expect(third[s19.index]!.accepted < second[s19.index]!.accepted, "the reboot restarted the counters")
        #expect(third[s19.index]!.accepted > 0)
        sim.fleet.advance(seconds: 300)
        _ = try poll(round: 4, after: third)

        let rows = try JSONLines.array(try sandbox.bitlink(["shares", "list", "--json"]))
        #expect(!rows.isEmpty)
        for miner in [s19, avalon] {
            let mine = rows.filter { $0.string("miner") == names[miner.index] }
            let accepted = mine.filter { $0.bool("accepted") == true }
            let rejected = mine.filter { $0.bool("accepted") == false }
            let want = try #require(expected[miner.index])
            #expect(accepted.compactMap { $0.int("shares") }.reduce(0, +) == want.accepted, "\(miner.model.name) accepted")
            #expect(rejected.compactMap { $0.int("shares") }.reduce(0, +) == want.rejected, "\(miner.model.name) rejected")
            let difficulty = accepted.compactMap { $0.double("difficulty") }.reduce(0, +)
            #expect(abs(difficulty - want.difficulty) <= max(1, want.difficulty * 1e-9), "\(miner.model.name) difficulty \(difficulty) vs \(want.difficulty)")
            for row in mine {
                #expect((row.int("shares") ?? 0) > 0, "no empty or negative rows: \(row)")
                #expect(row.string("source") == "poll")
                #expect(row.string("wallet") == SimFleet.wallet, "rows carry the linked wallet: \(row)")
                #expect(row.int("miner_id") != nil)
                #expect(row.string("worker") == "sim\(miner.index)")
            }
        }
        #expect(rows.count == Set(rows.compactMap { $0.int("id") }).count)

        // stats agree with the rows.
        let stats = try JSONLines.array(try sandbox.bitlink(["shares", "stats", "--by", "miner", "--json"]))
        for miner in [s19, avalon] {
            let group = try #require(stats.first { $0.string("key") == names[miner.index] })
            #expect(group.int("accepted") == expected[miner.index]!.accepted)
            #expect(group.int("rejected") == expected[miner.index]!.rejected)
        }
    }

    @Test("--exec gets the event as JSON on stdin and BITLINK_* variables; a failing command is reported, not fatal")
    func exec() throws {
        let sim = try SimFleet(["s19-pro", "s19-pro", "s19-pro"], subnet: "127.90.22.0/24")
        defer { sim.stop() }
        let (first, second, third) = (sim.miners[0], sim.miners[1], sim.miners[2])
        let sandbox = Sandbox()
        let names = try Self.scanned(sim, sandbox)
        let hook = sandbox.directory + "/hook.sh"
        try """
            #!/bin/sh
            cat > "\(sandbox.directory)/event-$BITLINK_MINER_ID.json"
            env | grep '^BITLINK_' | grep -v '^BITLINK_DB=' | sort > "\(sandbox.directory)/env-$BITLINK_MINER_ID.txt"
            echo "$BITLINK_MINER" >> "\(sandbox.directory)/runs.log"
            """.write(toFile: hook, atomically: true, encoding: .utf8)

        try sim.fleet.setFault(first.index, .overheating)
        let run = try sandbox.bitlink(["watch", "--once", "--json", "--exec", "/bin/sh \(hook)"])
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let event = try #require(try JSONLines.records(run.stdout, type: "event").first)
        let id = try #require(event.int("miner_id"))

        let delivered = try String(contentsOfFile: sandbox.directory + "/event-\(id).json", encoding: .utf8)
        #expect(delivered.hasSuffix("}\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(delivered.utf8)) as? [String: Any])
        #expect((json as NSDictionary) == (event as NSDictionary), "stdin carries the event record")
        #expect(json.string("type") == "event")
        #expect(json.string("miner") == names[first.index])
        #expect(json.string("address") == first.address.description)
        #expect(json.string("old_status") == "active")
        #expect(json.string("new_status") == "warning")
        #expect(json.strings("reasons").first?.hasPrefix("chip temperature") == true)

        let variables = try String(contentsOfFile: sandbox.directory + "/env-\(id).txt", encoding: .utf8)
        let reasons = json.strings("reasons").joined(separator: "; ")
        #expect(variables == """
            BITLINK_ADDRESS=\(first.address)
            BITLINK_MINER=\(names[first.index]!)
            BITLINK_MINER_ID=\(id)
            BITLINK_NEW_STATUS=warning
            BITLINK_OLD_STATUS=active
            BITLINK_REASONS=\(reasons)

            """)

        // A command that fails is reported on stderr; the round and its output stand.
        try sim.fleet.setFault(second.index, .overheating)
        let failing = try sandbox.bitlink(["watch", "--once", "--json", "--exec", "echo oops >&2; exit 3"])
        #expect(failing.status == 0, "\(failing)")
        #expect(failing.stderr.contains("bitlink: warning: --exec for \(names[second.index]!) exited with status 3")
            || failing.stderr.contains("--exec for \(names[second.index]!) exited with status 3"), "\(failing.stderr)")
        #expect(try JSONLines.records(failing.stdout, type: "event").count == 1)
        #expect(try JSONLines.records(failing.stdout, type: "summary").count == 1)

        // A command that is not there is not fatal either.
        try sim.fleet.setFault(third.index, .overheating)
        let missing = try sandbox.bitlink(["watch", "--once", "--json", "--exec", "/nonexistent/notify"])
        #expect(missing.status == 0, "\(missing)")
        #expect(missing.stderr.contains("--exec for \(names[third.index]!) exited with status 127"), "\(missing.stderr)")
        #expect(try JSONLines.records(missing.stdout, type: "event").count == 1)

        // --exec-limit: the first miner's next change within 5 minutes does not run the hook again.
        try sim.fleet.setFault(first.index, nil)
        let limited = try sandbox.bitlink(["watch", "--once", "--json", "--exec", "/bin/sh \(hook)"])
        #expect(limited.status == 0)
        #expect(try JSONLines.records(limited.stdout, type: "event").count == 1)
        let runs = try String(contentsOfFile: sandbox.directory + "/runs.log", encoding: .utf8)
        #expect(runs == names[first.index]! + "\n", "one run per miner per --exec-limit")
    }

    @Test("a round in which 10% of the miners hang still ends within the interval")
    func hungMiners() throws {
        let models = Array(repeating: ["s19-pro", "avalon-1566", "bitaxe-supra", "m3x", "s9-hiveon"], count: 4).flatMap { $0 }
        let sim = try SimFleet(models, subnet: "127.90.23.0/24")
        defer { sim.stop() }
        let sandbox = Sandbox()
        _ = try Self.scanned(sim, sandbox)
        let hung = [sim.miners("s19-pro")[0], sim.miners("bitaxe-supra")[0]]
        for miner in hung { try sim.fleet.setFault(miner.index, .hold) }
        #expect(hung.count * 10 == sim.miners.count)

        // A 60 s network timeout, yet the round is capped below the 5 s interval (each
        // miner's deadline is 80% of it, so the bound leaves a second to spare).
        let started = Date()
        let result = try sandbox.bitlink(["watch", "--once", "--json", "--interval", "5s", "--timeout", "60s"], timeout: 30)
        let wall = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result)")
        let summary = try #require(try JSONLines.records(result.stdout, type: "summary").first)
        let elapsed = try #require(summary.int("elapsed_ms"))
        #expect(elapsed < 5000, "round took \(elapsed) ms")
        #expect(wall < 20, "the process ended in \(wall) s")
        #expect(summary.int("miners") == 20)
        let samples = try JSONLines.records(result.stdout, type: "sample")
        #expect(samples.count == 20)
        for sample in samples {
            let isHung = hung.contains { $0.address.description == sample.string("address") }
            if isHung {
                #expect(sample.string("error") == "timed out", "\(sample)")
                #expect(sample.string("status") == "active", "one missed poll keeps the state")
            } else {
                #expect(sample.isNull("error"), "\(sample)")
            }
        }
    }

    @Test("watch --once exits 1 when a miner is dead, 0 otherwise; samples are stored; --retain prunes")
    func onceHistoryAndRetain() throws {
        let sim = try SimFleet(["s19-pro", "s19-pro", "avalon-1566"], subnet: "127.90.24.0/24")
        defer { sim.stop() }
        let sandbox = Sandbox()
        let names = try Self.scanned(sim, sandbox)
        let victim = sim.miners("s19-pro")[1]
        let name = try #require(names[victim.index])
        let once = ["watch", "--once", "--json", "--timeout", "1s"]

        // Samples are kept one per miner per second: each round here gets its own second.
        #expect(try sandbox.bitlink(once).status == 0)
        try sim.fleet.setFault(victim.index, .dead)
        Self.waitForNextSecond()
        let missed = try sandbox.bitlink(once)
        #expect(missed.status == 0, "one missed poll is not dead\n\(missed)")
        #expect(try JSONLines.records(missed.stdout, type: "event").isEmpty)
        Self.waitForNextSecond()
        let dead = try sandbox.bitlink(once)
        #expect(dead.status == 1, "\(dead)")
        let event = try #require(try JSONLines.records(dead.stdout, type: "event").first)
        #expect(event.string("miner") == name)
        #expect(event.string("new_status") == "dead")
        try sim.fleet.setFault(victim.index, nil)
        Self.waitForNextSecond()
        let back = try sandbox.bitlink(once)
        #expect(back.status == 0, "\(back)")
        let recovery = try #require(try JSONLines.records(back.stdout, type: "event").first)
        #expect(recovery.string("old_status") == "dead")
        #expect(recovery.string("new_status") == "active")

        // Piped --once prints one TSV row per miner.
        Self.waitForNextSecond()
        let piped = try sandbox.bitlink(["watch", "--once", "--timeout", "1s"])
        #expect(piped.status == 0)
        #expect(piped.lines.count == 3)
        #expect(piped.lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 13 }, "\(piped.stdout)")

        // Every round stored a sample.
        let history = try JSONLines.array(try sandbox.bitlink(["history", name, "--json"]))
        try #require(history.count == 5, "\(history)")
        #expect(history.map { $0.string("status") } == ["active", "active", "dead", "active", "active"])
        #expect(history[1].strings("reasons").first?.hasPrefix("missed a poll") == true)
        #expect(history[2].strings("reasons").first?.hasPrefix("no answer for 2 polls") == true)
        #expect(history[0].double("hashrate_hs").map { $0 > 0 } == true)
        #expect(history[2].isNull("hashrate_hs"))
        #expect(Set(history[0].keys) == [
            "time", "status", "reasons", "hashrate_hs", "temp_max_c", "fan_min_rpm", "power_w", "accepted", "rejected", "uptime_s",
        ])
        let rows = try sandbox.bitlink(["history", name])
        #expect(rows.lines.count == 5)

        // --retain: samples older than it go at the end of a round.
        let minerID = try #require(
            try JSONLines.array(try sandbox.bitlink(["miners", "list", "--json"])).first { $0.string("name") == name }?.int("id"))
        let now = Int64(Date().timeIntervalSince1970)
        let store = try Store.open(path: sandbox.database, mode: .write)
        try store.write {
            let insert = try store.sampleInserter()
            try insert(Sample(minerID: Int64(minerID), time: now - 40 * 86400, status: .active))
            try insert(Sample(minerID: Int64(minerID), time: now - 10 * 86400, status: .active))
        }
        func times() throws -> [String] {
            try JSONLines.array(try sandbox.bitlink(["history", name, "--since", "60d", "--json"])).compactMap { $0.string("time") }
        }
        #expect(try times().count == 7)
        Self.waitForNextSecond()
        #expect(try sandbox.bitlink(once).status == 0)
        #expect(try times().count == 7, "the default 30 days dropped the 40-day-old sample and kept the rest")
        #expect(try times().first == Self.rfc3339(now - 10 * 86400))
        Self.waitForNextSecond()
        #expect(try sandbox.bitlink(once + ["--retain", "5d"]).status == 0)
        #expect(try times().count == 7, "--retain 5d dropped the 10-day-old sample")
        #expect(try times().first != Self.rfc3339(now - 10 * 86400))
    }

    /// Sleeps until the wall clock's Unix second changes (at most a second).
    static func waitForNextSecond() {
        let start = Int64(Date().timeIntervalSince1970)
        while Int64(Date().timeIntervalSince1970) == start { usleep(10_000) }
    }

    static func rfc3339(_ time: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}
