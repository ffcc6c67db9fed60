/// A wallet the user tracks (a row of `wallets`): a Bitcoin address or a pool account name,
/// optionally tied to one known pool.
public struct TrackedWallet: Sendable, Equatable {
    /// The `wallets.id` row id.
    public var id: Int64
    /// The address or account name as stored.
    public var identity: String
    /// A `KnownPool.id`, or nil when the wallet may be mined to on any pool.
    public var pool: String?

    /// Creates a wallet as read from the store.
    public init(id: Int64, identity: String, pool: String? = nil) {
        self.id = id
        self.identity = identity
        self.pool = pool
    }
}

/// One pool entry of a miner, as the device reports it, dev-fee pseudo-pools included.
public struct PoolConfiguration: Sendable, Equatable {
    /// The pool URL as reported (`DevFee` and empty strings included).
    public var url: String
    /// The pool user as reported.
    public var user: String?
    /// Whether the device says it is submitting to this pool now.
    public var active: Bool
    /// Alive, dead, disabled or unknown, as the device says.
    public var status: PoolStatus.Status

    /// Creates a configuration from the reported fields.
    public init(url: String, user: String?, active: Bool, status: PoolStatus.Status = .unknown) {
        self.url = url
        self.user = user
        self.active = active
        self.status = status
    }

    /// The configuration part of a live pool status.
    public init(_ pool: PoolStatus) {
        self.init(url: pool.url, user: pool.user, active: pool.active, status: pool.status)
    }
}

/// Why a pool configuration was or was not linked to a wallet. `description` is one sentence
/// for `bitlink info` and `link-wallet` output.
public enum MatchExplanation: Sendable, Equatable, CustomStringConvertible {
    /// The user's address is a tracked wallet (`walletPool`: the pool the wallet names, if any).
    case linkedAddress(address: String, walletID: Int64, walletPool: String?)
    /// The user's account is a tracked wallet. `minerPool` is the known pool id, else the host.
    case linkedAccount(user: String, account: String, minerPool: String?, walletID: Int64, walletPool: String?)
    /// Only wallets tied to another pool have this address or account.
    case walletOnOtherPool(walletID: Int64, walletPool: String, minerPool: String?)
    /// A firmware dev-fee pseudo-pool.
    case devFee(DevFeeMarker)
    /// No URL and no user: an empty slot in the device's pool list.
    case noPoolConfigured
    /// The device reports the pool dead or disabled.
    case poolUnavailable(PoolStatus.Status)
    /// A backup pool: reported, never linked. `wouldLink` is the wallet it would link to if active.
    case notActive(wouldLink: Int64?)
    /// No user, or nothing before the worker name.
    case emptyUser(user: String)
    case invalidUser(user: String, reason: WalletIdentityError)
    /// An account name on a pool that pays the address in the user: the pool cannot credit it.
    case accountOnAddressPool(user: String, account: String, pool: String)
    /// A valid address that no wallet has.
    case noTrackedAddress(String)
    /// A valid account name that no wallet has.
    case noTrackedAccount(account: String, minerPool: String?)

    /// One sentence, for example `user bc1q... is tracked wallet 3`.
    public var description: String {
        switch self {
        case let .linkedAddress(address, walletID, walletPool):
            "user \(address) is tracked wallet \(walletID)" + Self.poolSuffix(walletPool)
        case let .linkedAccount(user, account, minerPool, walletID, walletPool):
            "user '\(user)' is account '\(account)' on \(minerPool ?? "an unrecognised pool"), "
                + "wallet \(walletID)" + Self.poolSuffix(walletPool)
        case let .walletOnOtherPool(walletID, walletPool, minerPool):
            "wallet \(walletID) names pool \(walletPool) but the miner mines on \(minerPool ?? "an unrecognised pool")"
        case let .devFee(marker):
            "dev-fee pool skipped (\(marker))"
        case .noPoolConfigured:
            "no pool configured"
        case let .poolUnavailable(status):
            "pool is \(status.rawValue)"
        case let .notActive(wouldLink):
            "backup pool, not active" + (wouldLink.map { " (would be wallet \($0))" } ?? "")
        case let .emptyUser(user):
            user.isEmpty ? "no pool user configured" : "user '\(user)' has no address or account before the worker name"
        case let .invalidUser(user, reason):
            "user '\(user)' is not usable: \(reason)"
        case let .accountOnAddressPool(user, account, pool):
            "user '\(user)' names account '\(account)', but \(pool) pays the Bitcoin address given as user"
        case let .noTrackedAddress(address):
            "no tracked wallet for address \(address)"
        case let .noTrackedAccount(account, minerPool):
            "no tracked wallet for account '\(account)'" + (minerPool.map { " on \($0)" } ?? "")
        }
    }

    private static func poolSuffix(_ pool: String?) -> String {
        pool.map { " (pool \($0))" } ?? ""
    }
}

/// The outcome for one pool configuration.
public struct WalletMatch: Sendable, Equatable {
    /// The configuration this result is for.
    public let configuration: PoolConfiguration
    /// The parsed URL; nil for dev-fee pseudo-pools and refused URLs (see `urlError`).
    public let url: PoolURL?
    /// Why the URL was refused, when it was (nil for dev-fee pseudo-pools and empty slots).
    public let urlError: PoolURLError?
    /// The known pool the URL points at.
    public let pool: KnownPool?
    /// The parsed user; nil when the configuration was skipped before the user mattered.
    public let user: PoolUser?
    /// The linked wallet; nil when not linked.
    public let walletID: Int64?
    /// True when the device flagged no pool active and this one was taken as the active one.
    public let assumedActive: Bool
    /// Why the configuration was or was not linked.
    public let explanation: MatchExplanation

    /// Whether a wallet was linked.
    public var isLinked: Bool { walletID != nil }
}

/// Links a miner's pool configurations to tracked wallets.
///
/// Rules, in order, for each configuration:
/// 1. Dev-fee pseudo-pools (`DevFeeMarker`) are skipped.
/// 2. An entry with neither URL nor user is an empty slot.
/// 3. Pools the device reports `dead` or `disabled` are not linked.
/// 4. Only active pools link. Backup pools are reported with the wallet they would link
///    to but are not linked, even when they name the same wallet as the active pool:
///    `miner_configs` records where the hashrate goes now, and linking backups would count a
///    miner under a wallet it does not mine for. Several pools flagged active (quota
///    groups, load balancing) each link. When the device flags none active, the first
///    entry in its order that is neither a dev fee, empty, dead nor disabled is taken as
///    active (`assumedActive`), as `MinerStatus.activePool` does.
/// 5. The user is split with the pool's worker separators and its identity compared with
///    the wallets: addresses by canonical form (Bech32 case-insensitive, Base58 exact),
///    accounts case-insensitively.
/// 6. A wallet that names a pool links only when the miner's URL points at that pool; a
///    wallet naming no pool links on any pool. When several wallets fit, one naming the
///    miner's pool wins over one naming none, then the lowest id.
/// 7. An account name on a pool that pays addresses (ckpool, public-pool, OCEAN...) never
///    links: that pool cannot credit an account.
public struct WalletMatcher: Sendable {
    private let byKey: [String: [TrackedWallet]]
    /// Wallets whose stored identity is neither an address nor an account name; never matched.
    public let unusableWallets: [Int64: WalletIdentityError]

    /// Indexes the wallets once, so matching costs a few dictionary look-ups per pool.
    /// - Parameter wallets: the tracked wallets.
    public init(wallets: [TrackedWallet]) {
        var index: [String: [TrackedWallet]] = [:]
        var unusable: [Int64: WalletIdentityError] = [:]
        for wallet in wallets {
            do {
                let identity = try WalletIdentity.parse(wallet.identity)
                index[identity.matchKey, default: []].append(wallet)
            } catch {
                unusable[wallet.id] = error
            }
        }
        for key in index.keys { index[key]?.sort { $0.id < $1.id } }
        byKey = index
        unusableWallets = unusable
    }

    /// Matches one miner's pool list.
    /// - Parameter configurations: the pools in the device's order.
    /// - Returns: one `WalletMatch` per configuration, in the same order.
    public func match(_ configurations: [PoolConfiguration]) -> [WalletMatch] {
        match(configurations, urls: nil)
    }

    /// Parsed pool URLs kept across calls: a fleet reports a handful of URLs thousands of
    /// times per round. Not thread-safe; one per recorder.
    public final class URLCache {
        private var entries: [String: (url: PoolURL?, error: PoolURLError?, pool: KnownPool?)] = [:]
        public init() {}

        /// The parse of a pool URL and the known pool it points at, parsed once.
        func lookUp(_ url: String) -> (url: PoolURL?, error: PoolURLError?, pool: KnownPool?) {
            if let known = entries[url] { return known }
            let entry = URLCache.parse(url)
            entries[url] = entry
            return entry
        }

        /// The known-pool id of a URL, if it points at a pool in the registry.
        public func poolID(for url: String) -> String? { lookUp(url).pool?.id }

        static func parse(_ url: String) -> (url: PoolURL?, error: PoolURLError?, pool: KnownPool?) {
            do {
                let parsed = try PoolURL.parse(url)
                return (parsed, nil, KnownPools.pool(for: parsed))
            } catch {
                return (nil, error, nil)
            }
        }
    }

    /// Matches one miner's pool list, reusing URL parses from `urls`.
    public func match(_ configurations: [PoolConfiguration], urls: URLCache?) -> [WalletMatch] {
        let parsed = configurations.map { Parsed($0, urls: urls) }
        let anyFlagged = parsed.contains { $0.usable && $0.configuration.active }
        let assumedIndex = anyFlagged ? nil : parsed.firstIndex { $0.usable }
        return parsed.enumerated().map { index, entry in
            decide(entry, active: entry.configuration.active || index == assumedIndex,
                   assumed: index == assumedIndex)
        }
    }

    /// Matches a miner's live pool status list.
    /// - Parameter pools: `MinerStatus.pools`.
    /// - Returns: one `WalletMatch` per pool, in order.
    public func match(pools: [PoolStatus], urls: URLCache? = nil) -> [WalletMatch] {
        match(pools.map(PoolConfiguration.init), urls: urls)
    }

    /// The parse of one configuration, before any decision.
    private struct Parsed {
        let configuration: PoolConfiguration
        let devFee: DevFeeMarker?
        let url: PoolURL?
        let urlError: PoolURLError?
        let pool: KnownPool?
        let isEmptySlot: Bool

        init(_ configuration: PoolConfiguration, urls: URLCache?) {
            self.configuration = configuration
            devFee = DevFeeMarker.detect(url: configuration.url, user: configuration.user)
            isEmptySlot = configuration.url.trimmedForMatching().isEmpty
                && (configuration.user ?? "").trimmedForMatching().isEmpty
            if devFee == nil, !isEmptySlot {
                (url, urlError, pool) = urls?.lookUp(configuration.url) ?? URLCache.parse(configuration.url)
            } else {
                url = nil
                urlError = nil
                pool = nil
            }
        }

        /// Could carry the miner's hashrate to a wallet.
        var usable: Bool {
            devFee == nil && !isEmptySlot && configuration.status != .dead && configuration.status != .disabled
        }

        /// How the miner's pool is named in explanations: the known id, else the host.
        var poolName: String? { pool?.id ?? url?.host }
    }

    private func decide(_ entry: Parsed, active: Bool, assumed: Bool) -> WalletMatch {
        func result(_ user: PoolUser?, _ wallet: Int64?, _ explanation: MatchExplanation) -> WalletMatch {
            WalletMatch(configuration: entry.configuration, url: entry.url, urlError: entry.urlError,
                        pool: entry.pool, user: user, walletID: wallet, assumedActive: assumed,
                        explanation: explanation)
        }
        if let marker = entry.devFee { return result(nil, nil, .devFee(marker)) }
        if entry.isEmptySlot { return result(nil, nil, .noPoolConfigured) }
        let status = entry.configuration.status
        if status == .dead || status == .disabled { return result(nil, nil, .poolUnavailable(status)) }

        let user = PoolUser.parse(entry.configuration.user ?? "", pool: entry.pool)
        let (wallet, explanation) = lookUp(user, entry)
        guard active else { return result(user, nil, .notActive(wouldLink: wallet)) }
        return result(user, wallet, explanation)
    }

    private func lookUp(_ user: PoolUser, _ entry: Parsed) -> (Int64?, MatchExplanation) {
        let key: String
        switch user.identity {
        case .empty:
            return (nil, .emptyUser(user: user.raw))
        case let .invalid(reason):
            return (nil, .invalidUser(user: user.raw, reason: reason))
        case let .account(name):
            if let pool = entry.pool, pool.userConvention == .bitcoinAddress {
                return (nil, .accountOnAddressPool(user: user.raw, account: name, pool: pool.id))
            }
            key = name.lowercased()
        case let .address(address):
            key = address.string
        }

        let candidates = byKey[key] ?? []
        let minerPool = entry.pool?.id
        // Sorted by id already: the first wallet naming this pool, else the first naming none.
        let chosen = candidates.first { $0.pool?.lowercased() == minerPool && minerPool != nil }
            ?? candidates.first { $0.pool == nil }
        guard let wallet = chosen else {
            if let other = candidates.first, let otherPool = other.pool {
                return (nil, .walletOnOtherPool(walletID: other.id, walletPool: otherPool, minerPool: entry.poolName))
            }
            switch user.identity {
            case let .address(address): return (nil, .noTrackedAddress(address.string))
            default: return (nil, .noTrackedAccount(account: user.identityText, minerPool: entry.poolName))
            }
        }
        switch user.identity {
        case let .address(address):
            return (wallet.id, .linkedAddress(address: address.string, walletID: wallet.id, walletPool: wallet.pool))
        default:
            return (wallet.id, .linkedAccount(user: user.raw, account: user.identityText, minerPool: entry.poolName,
                                              walletID: wallet.id, walletPool: wallet.pool))
        }
    }
}
