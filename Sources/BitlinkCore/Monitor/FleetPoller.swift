/// One polling round over stored miners: every miner read at once on the engine, each
/// with its own deadline, and the whole round cut at the round deadline so hung miners
/// never make rounds pile up.
public final class FleetPoller {
    public let engine: IOEngine
    public let reader: MinerReader

    public init(engine: IOEngine, reader: MinerReader) {
        self.engine = engine
        self.reader = reader
    }

    /// What happened to one miner in a round.
    public enum Result: Sendable {
        /// Read; the raw replies are not kept (5,000 miners' replies would dominate memory).
        case read(MinerReader.Reading)
        case failed(ReadError)
        /// Not polled: no network API (NerdMiner), or no known address.
        case skipped(String)
    }

    /// Polls the miners; returns a result for each, by miner id.
    /// - Parameter roundTimeout: the most the round may take, whatever the miners do.
    public func poll(_ miners: [Miner], roundTimeout: Duration) -> [Int64: Result] {
        var results: [Int64: Result] = [:]
        for miner in miners {
            if miner.family == .nerdminer {
                results[miner.id] = .skipped("no network API; log its shares with 'bitlink shares log'")
                continue
            }
            guard !miner.host.isEmpty else {
                results[miner.id] = .skipped("address unknown since another device took it; run 'bitlink scan'")
                continue
            }
            let address: IPv4Address
            do {
                address = try Resolver.ipv4(miner.host)
            } catch {
                results[miner.id] = .failed(.transport(.unreachable))
                continue
            }
            let completion: (MinerReader.Outcome) -> Void = { outcome in
                switch outcome.result {
                case .success(let reading): results[miner.id] = .read(reading)
                case .failure(let error): results[miner.id] = .failed(error)
                }
            }
            if miner.family == .unknown {
                reader.identifyAndRead(address, ports: miner.ports, completion: completion)
            } else {
                reader.read(address, ports: miner.ports, identification: miner.identification, completion: completion)
            }
        }
        engine.run(timeout: roundTimeout)
        // Anything the round deadline cut short counts as a timeout.
        for miner in miners where results[miner.id] == nil {
            results[miner.id] = .failed(.transport(.timeout))
        }
        return results
    }
}
