import BitlinkCore

/// `--mix antminer=2,whatsminer=1,s19-pro=3`: family or model names with weights (or counts).
public struct FleetMix: Sendable, Equatable {
    /// One `name=weight` item.
    public struct Entry: Sendable, Equatable {
        /// A family (`antminer`, `axeos`...) or a model short name (`s19-pro`).
        public var name: String
        /// Relative weight; weights adding up to the count are exact counts.
        public var weight: Double

        /// An entry.
        public init(_ name: String, _ weight: Double) {
            self.name = name
            self.weight = weight
        }
    }

    /// The items, in order.
    public var entries: [Entry]

    /// A mix of these entries.
    public init(_ entries: [Entry]) { self.entries = entries }

    /// A spread of every family, farm-heavy.
    public static let standard = FleetMix([
        Entry("antminer", 4), Entry("whatsminer", 3), Entry("avalon", 1), Entry("braiins", 1),
        Entry("axeos", 2), Entry("nmminer", 1), Entry("cgminer", 1),
    ])

    /// Parses `name=weight,...` (a bare name has weight 1).
    public static func parse(_ text: String) throws -> FleetMix {
        var entries: [Entry] = []
        for item in text.split(separator: ",") where !item.isEmpty {
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            let name = pair[0].lowercased()
            guard ModelCatalog.model(named: name) != nil || ModelCatalog.family(named: name) != nil else {
                throw SimError.unknownModel(name)
            }
            var weight = 1.0
            if pair.count == 2 {
                guard let parsed = Double(pair[1]), parsed >= 0, parsed.isFinite else {
                    throw SimError.invalidValue(what: "mix weight", value: pair[1], why: "expected a number >= 0")
                }
                weight = parsed
            }
            entries.append(Entry(name, weight))
        }
        guard entries.contains(where: { $0.weight > 0 }) else {
            throw SimError.invalidValue(what: "mix", value: text, why: "no entry with a weight above 0")
        }
        return FleetMix(entries)
    }

    /// The model of each of `count` miners: counts per entry by largest remainder (so
    /// weights that add up to `count` are exact counts), models of a family taken in
    /// turn, then the order shuffled by the seed so families interleave on the subnet.
    func models(count: Int, seed: UInt64) throws -> [SimModel] {
        let total = entries.reduce(0) { $0 + $1.weight }
        let shares = entries.map { Double(count) * $0.weight / total }
        var counts = shares.map { Int($0.rounded(.down)) }
        let order = shares.indices.sorted { (shares[$0] - Double(counts[$0]), -$0) > (shares[$1] - Double(counts[$1]), -$1) }
        var missing = count - counts.reduce(0, +)
        for index in order where missing > 0 {
            counts[index] += 1
            missing -= 1
        }
        var result: [SimModel] = []
        for (entry, entryCount) in zip(entries, counts) where entryCount > 0 {
            let pool: [SimModel]
            if let model = ModelCatalog.model(named: entry.name) {
                pool = [model]
            } else if let family = ModelCatalog.family(named: entry.name) {
                pool = ModelCatalog.rotation(for: family)
            } else {
                throw SimError.unknownModel(entry.name)
            }
            guard !pool.isEmpty else { throw SimError.unknownModel(entry.name) }
            let start = Int(SimRandom.hash(seed, SimRandom.hash(entry.name)) % UInt64(pool.count))
            for i in 0..<entryCount { result.append(pool[(start + i) % pool.count]) }
        }
        let permutation = SimRandom.permutation(count: result.count, seed: seed, salt: 0x313A)
        return permutation.map { result[$0] }
    }
}
