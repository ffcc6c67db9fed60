import Testing

@testable import BitlinkCore

/// Adapters read whatever a device sends: every reply of every fixture directory cut at
/// seeded random points, or replaced by garbage, must give a status or a `ReadError` —
/// never a crash, never another error type.
@Suite("Adapter robustness")
struct AdapterRobustnessTests {
    static let directories = [
        "antminer", "whatsminer", "avalon", "braiins", "bitaxe", "nerdqaxe", "nmminer", "auradine", "cheetah", "innosilicon", "sealminer",
    ].flatMap(Fixtures.directories(of:))

    static func readAll(_ replies: Replies, everyAdapter: Bool = false) {
        let registry = AdapterRegistry.standard
        _ = registry.followUpProbes(replies)
        if let (adapter, identification) = registry.identify(replies) {
            _ = adapter.readPlan(for: identification)
            do {
                _ = try adapter.parse(replies, identification: identification)
            } catch is ReadError {
                // expected for cut replies
            } catch {
                Issue.record("parse threw \(type(of: error)): \(error)")
            }
        }
        // Every adapter also parses replies it did not identify, without crashing.
        for adapter in registry.adapters where everyAdapter {
            do { _ = try adapter.parse(replies, identification: Identification(family: adapter.family)) } catch is ReadError {} catch {
                Issue.record("\(adapter.family) threw \(type(of: error))")
            }
        }
    }

    @Test(arguments: directories)
    func cutRepliesNeverCrash(dir: String) {
        let whole = Fixtures.replies(dir)
        var generator = SeededGenerator(seed: dir.utf8.reduce(0x1234_5678) { ($0 &* 31) &+ UInt64($1) })
        for (request, result) in whole.results {
            guard case .success(let reply) = result else { continue }
            let bytes = reply.bytes
            for _ in 0..<3 {
                let cut = Array(bytes[..<Int.random(in: 0...bytes.count, using: &generator)])
                var replies = whole
                switch reply {
                case .http(let response):
                    var shorter = response
                    shorter.body = cut
                    replies[request] = .success(.http(shorter))
                case .bytes:
                    replies[request] = .success(.bytes(cut))
                }
                Self.readAll(replies)
            }
            var garbage = whole
            garbage[request] = .success(.bytes((0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) }))
            Self.readAll(garbage, everyAdapter: true)
            var failed = whole
            failed[request] = .failure(.reset)
            Self.readAll(failed)
        }
    }
}
