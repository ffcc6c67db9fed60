/// Writes what a read learned into the store: the miner's identity and liveness, its
/// pool configurations, and their automatic wallet links. Shared by `info`, `scan` and
/// `watch`, so each keeps a stored miner the same way. Call inside `Store.write`.
public struct ReadingRecorder {
    public let store: Store
    public let matcher: WalletMatcher
    /// Parsed pool URLs: a fleet reports a handful of them thousands of times.
    private let urls = WalletMatcher.URLCache()

    public init(store: Store, wallets: [Wallet]) {
        self.store = store
        matcher = WalletMatcher(wallets: wallets.map { TrackedWallet(id: $0.id, identity: $0.address, pool: $0.pool) })
    }

    /// The miner as the reading describes it: family, model, firmware, MAC, hostname,
    /// serial and read hints from the device; name, ports and flags kept.
    public static func updated(_ miner: Miner, with reading: MinerReader.Reading, now: Int64) -> Miner {
        var miner = miner
        let identity = reading.status.identity
        miner.family = reading.identification.family
        miner.model = identity.model ?? reading.identification.model ?? miner.model
        miner.firmware = identity.firmware ?? reading.identification.firmware ?? miner.firmware
        miner.mac = identity.mac?.uppercased() ?? miner.mac
        miner.hostname = identity.hostname ?? miner.hostname
        miner.serial = identity.serial ?? miner.serial
        miner.readHints = reading.identification.hints
        miner.lastSeen = now
        return miner
    }

    /// Records the pools read from a miner and links them to wallets where their users
    /// name one. Manual links are never touched; an automatic link whose pool no longer
    /// matches is cleared.
    /// - Returns: one match per reported pool, in the device's order.
    @discardableResult
    public func recordPools(minerID: Int64, pools: [PoolStatus], now: Int64) throws -> [WalletMatch] {
        let configs = try store.recordPools(minerID: minerID, pools: pools, now: now) { urls.poolID(for: $0) }
        let matches = matcher.match(pools: pools, urls: urls)
        try apply(matches, to: configs)
        return matches
    }

    /// Re-runs matching on a miner's stored configurations (`link-wallet --auto`).
    @discardableResult
    public func relink(configs: [MinerConfig]) throws -> [WalletMatch] {
        let usable = configs.filter { !$0.poolURL.isEmpty }
        let matches = matcher.match(
            usable.map { PoolConfiguration(url: $0.poolURL, user: $0.poolUser.isEmpty ? nil : $0.poolUser, active: $0.active) },
            urls: urls)
        try apply(matches, to: usable)
        return matches
    }

    private func apply(_ matches: [WalletMatch], to configs: [MinerConfig]) throws {
        // A pool listed in several slots (failover) has one row: the slot that links it
        // decides, and a backup slot of the same pool must not unlink it again.
        var decided = Set<Int64>()
        for match in matches.filter({ $0.walletID != nil }) + matches.filter({ $0.walletID == nil }) {
            let user = match.configuration.user ?? ""
            guard let config = configs.first(where: { $0.poolURL == match.configuration.url && $0.poolUser == user }),
                config.linkedBy != .manual, decided.insert(config.id).inserted
            else { continue }
            if let wallet = match.walletID {
                if config.walletID != wallet || config.linkedBy != .auto {
                    try store.setLink(configID: config.id, walletID: wallet, by: .auto)
                }
            } else if config.linkedBy == .auto {
                try store.setLink(configID: config.id, walletID: nil, by: nil)
            }
        }
    }
}

extension ReadError {
    /// The error the command line reports for a failed read of one miner: unreachable
    /// (69), timeout (75), unreadable reply (76) or refused read (77).
    public func bitlinkError(for address: String) -> BitlinkError {
        switch self {
        case .transport(let error):
            switch error {
            case .refused:
                return BitlinkError(.unreachable, "\(address): connection refused",
                    hint: "is the miner on, and its API enabled on this port? see 'bitlink miners set --port'")
            case .unreachable, .reset, .other:
                return BitlinkError(.unreachable, "\(address): \(error)")
            case .timeout:
                return BitlinkError(.timeout, "\(address): timed out", hint: "raise --timeout, or check that the miner is powered and reachable")
            case .tooLarge, .badFraming:
                return BitlinkError(.protocolViolation, "\(address): \(error)")
            }
        case .protocolViolation, .unrecognized, .statusRefused:
            return BitlinkError(.protocolViolation, "\(address): \(self)")
        case .notPermitted:
            return BitlinkError(.notPermitted, "\(address): \(self)", hint: "the miner's API access list denies reads from this host")
        case .noNetworkAPI:
            return BitlinkError(.unreachable, "\(address): \(self)", hint: "log its shares with 'bitlink shares log --miner NAME'")
        }
    }
}
