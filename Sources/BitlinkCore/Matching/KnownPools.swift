/// A mining pool bitlink recognises by its stratum host, with how it reads the pool user.
public struct KnownPool: Sendable, Hashable, Identifiable, CustomStringConvertible {
    /// What the part of the pool user before the worker name is.
    public enum UserConvention: String, Sendable, Equatable {
        /// A Bitcoin address the pool pays to (solo pools, ckpool, public-pool, OCEAN, NiceHash).
        case bitcoinAddress
        /// An account (or sub-account) registered on the pool's website.
        case account
    }

    /// Which characters end the address or account and start the worker name.
    public enum WorkerSeparators: String, Sendable, Equatable {
        /// Only `.`: public-pool (`split('.')`), OCEAN/DATUM, and the account pools.
        case dot
        /// `.` or `_`: ckpool splits the user at the first of either
        /// (`strsep(&base_username, "._")` in `stratifier.c`).
        case dotOrUnderscore
        /// For hosts not in the registry: `.`, and `_` only when what precedes it is a valid
        /// Bitcoin address. Addresses contain no `_`, so that split cannot cut an account
        /// name such as `antminer_1` in two.
        case dotOrUnderscoreAfterAddress
    }

    /// Stable lower-case identifier, stored in `wallets.pool` (`ckpool-solo`, `f2pool`).
    public let id: String
    /// Name for people (`F2Pool`, `Braiins Pool`).
    public let name: String
    /// Registered domains; a host matches a domain when it equals it or ends with `.domain`.
    public let domains: [String]
    /// What the pool expects before the worker name.
    public let userConvention: UserConvention
    /// Which characters start the worker name.
    public let workerSeparators: WorkerSeparators
    /// Whether a block found pays the finder alone (the user must then be an address).
    public let isSolo: Bool

    /// The identifier.
    public var description: String { id }

    /// Creates a registry entry; `KnownPools.all` holds the real ones.
    public init(
        id: String, name: String, domains: [String], userConvention: UserConvention,
        workerSeparators: WorkerSeparators = .dot, isSolo: Bool = false
    ) {
        self.id = id
        self.name = name
        self.domains = domains
        self.userConvention = userConvention
        self.workerSeparators = workerSeparators
        self.isSolo = isSolo
    }

    /// Whether a wallet of this kind can be credited on this pool, for `wallets add --pool`:
    /// a pool that pays the address in the user cannot credit an account name. Account
    /// pools are not known to refuse an address, so both kinds are accepted there.
    /// - Parameter identity: the wallet's address or account.
    /// - Returns: false only for an account on an address pool.
    public func accepts(_ identity: WalletIdentity) -> Bool {
        if case .account = identity { return userConvention == .account }
        return true
    }
}

/// The registry of known pools, looked up by stratum host.
///
/// Sources: pool setup pages and public projects that connect to these pools (AxeOS's
/// `quicklink.service.ts` for the solo pools, NerdMiner_v2 for its pools, the stratum
/// observer scripts that log in to the big pools with `account.worker`, ckpool and
/// public-pool source for the user splitting). Where a fact could not be confirmed the
/// entry says so.
public enum KnownPools {
    /// Every known pool. Order does not matter for lookup (the longest matching domain wins).
    public static let all: [KnownPool] = [
        // --- Address as user -------------------------------------------------------------
        // solo.ckpool.org, eusolo.ckpool.org, ausolo.ckpool.org and the solo4/solo6 variants.
        KnownPool(id: "ckpool-solo", name: "Solo CKPool", domains: ["ckpool.org"],
                  userConvention: .bitcoinAddress, workerSeparators: .dotOrUnderscore, isSolo: true),
        // benjamin-wilson/public-pool; stratum on :21496, API on :40557.
        KnownPool(id: "public-pool", name: "Public Pool", domains: ["public-pool.io"],
                  userConvention: .bitcoinAddress, isSolo: true),
        // NerdMiner's default pool; serves the ckpool `/users/<address>` format.
        KnownPool(id: "nerdminers", name: "NerdMiners.org", domains: ["nerdminers.org"],
                  userConvention: .bitcoinAddress, workerSeparators: .dotOrUnderscore, isSolo: true),
        // NerdMiner_v2 reads its stats from the public-pool API (`/api/client/`), so `.` only.
        KnownPool(id: "solomining-de", name: "solomining.de", domains: ["solomining.de"],
                  userConvention: .bitcoinAddress, isSolo: true),
        // "public-pool fork" per NerdMiner_v2's pool list.
        KnownPool(id: "sethforprivacy", name: "Seth for Privacy pool", domains: ["pool.sethforprivacy.com"],
                  userConvention: .bitcoinAddress, isSolo: true),
        // Port 1337. Its API answers in ckpool's format, but whether the stratum side is
        // ckpool (and so also splits at `_`) is not confirmed: `.` only.
        KnownPool(id: "noderunners", name: "Noderunners", domains: ["pool.noderunners.network"],
                  userConvention: .bitcoinAddress, isSolo: true),
        // Port 42069; user `address.worker[.lightning-address]`. Rewards are shared, not solo.
        KnownPool(id: "parasite", name: "Parasite Pool", domains: ["parasite.wtf"],
                  userConvention: .bitcoinAddress, isSolo: false),
        // Braiins' solo service is a subdomain of the pooled one; the longer domain wins.
        KnownPool(id: "braiins-solo", name: "Braiins Solo", domains: ["solo.stratum.braiins.com"],
                  userConvention: .bitcoinAddress, isSolo: true),
        // mine.ocean.xyz:3334; OCEAN (TIDES) pays the address in the user, DATUM's docs say
        // the worker follows a `.`.
        KnownPool(id: "ocean", name: "OCEAN", domains: ["ocean.xyz"],
                  userConvention: .bitcoinAddress, isSolo: false),
        // The user is the NiceHash mining address (a BTC address), then `.worker`.
        KnownPool(id: "nicehash", name: "NiceHash", domains: ["nicehash.com"],
                  userConvention: .bitcoinAddress, isSolo: false),

        // --- Account as user -------------------------------------------------------------
        // stratum.braiins.com and its regional hosts (eu., us-east., v2. for Stratum V2);
        // stratum.slushpool.com is the pool's former name.
        KnownPool(id: "braiins", name: "Braiins Pool", domains: ["braiins.com", "slushpool.com"],
                  userConvention: .account),
        KnownPool(id: "f2pool", name: "F2Pool", domains: ["f2pool.com"], userConvention: .account),
        // solo.antpool.com is kept here: the one capture of it uses an account, but whether
        // AntPool's solo service takes an account or an address is not confirmed.
        KnownPool(id: "antpool", name: "AntPool", domains: ["antpool.com"], userConvention: .account),
        KnownPool(id: "viabtc", name: "ViaBTC", domains: ["viabtc.com", "viabtc.io"], userConvention: .account),
        // btc.global.luxor.tech:700; luxor.tech also serves other coins on other hosts.
        KnownPool(id: "luxor", name: "Luxor", domains: ["luxor.tech"], userConvention: .account),
        // KanoPool runs ckpool (with its database), so `_` separates workers too.
        KnownPool(id: "kano", name: "KanoPool", domains: ["kano.is"],
                  userConvention: .account, workerSeparators: .dotOrUnderscore),
        KnownPool(id: "foundry", name: "Foundry USA", domains: ["foundryusapool.com"], userConvention: .account),
        KnownPool(id: "spiderpool", name: "SpiderPool", domains: ["spiderpool.com"], userConvention: .account),
        KnownPool(id: "secpool", name: "SECPOOL", domains: ["secpool.com"], userConvention: .account),
        // gate.emcd.io; other EMCD domains are not confirmed.
        KnownPool(id: "emcd", name: "EMCD", domains: ["emcd.io"], userConvention: .account),
        // bs.poolbinance.com, sha256.poolbinance.com.
        KnownPool(id: "binance", name: "Binance Pool", domains: ["poolbinance.com"], userConvention: .account),
        // btc.ss.poolin.com and the newer btc.ss.poolin.me.
        KnownPool(id: "poolin", name: "Poolin", domains: ["poolin.com", "poolin.me"], userConvention: .account),
        // The stratum host (stratum.sbicrypto.com) comes from third-party pool lists only.
        KnownPool(id: "sbicrypto", name: "SBI Crypto", domains: ["sbicrypto.com"], userConvention: .account),
        // BTC.com's stratum hosts (cn.ss.btc.com, eu.ss.btc.com); btc.com itself is an explorer.
        // The pool may no longer operate; kept so old configurations are still named.
        KnownPool(id: "btccom", name: "BTC.com", domains: ["ss.btc.com"], userConvention: .account),
    ]

    private static let byDomain: [String: KnownPool] = {
        var map: [String: KnownPool] = [:]
        for pool in all {
            for domain in pool.domains { map[domain] = pool }
        }
        return map
    }()

    private static let byID: [String: KnownPool] = {
        var map: [String: KnownPool] = [:]
        for pool in all { map[pool.id] = pool }
        return map
    }()

    /// The pool with this identifier.
    /// - Parameter id: a `KnownPool.id` such as `f2pool`.
    /// - Returns: the pool, or nil for an unknown identifier.
    public static func pool(id: String) -> KnownPool? {
        byID[id.lowercased()]
    }

    /// The pool a stratum host belongs to: the entry whose domain is the longest suffix of
    /// the host on a label boundary (`eu.stratum.braiins.com` -> braiins,
    /// `solo.stratum.braiins.com` -> braiins-solo, `notf2pool.com` -> none).
    /// - Parameter host: a host name, any case, without port.
    /// - Returns: the pool, or nil.
    public static func pool(forHost host: String) -> KnownPool? {
        var candidate = Substring(host.lowercased())
        while true {
            if let pool = byDomain[String(candidate)] { return pool }
            guard let dot = candidate.firstIndex(of: ".") else { return nil }
            candidate = candidate[candidate.index(after: dot)...]
        }
    }

    /// The pool a parsed URL points at; nil for IP addresses and unknown hosts.
    /// - Parameter url: a parsed pool URL.
    /// - Returns: the pool, or nil.
    public static func pool(for url: PoolURL) -> KnownPool? {
        url.hostIsIPAddress ? nil : pool(forHost: url.host)
    }
}

/// A firmware's dev-fee pseudo-pool: an entry in the pool list through which the firmware
/// mines for its author part of the time. It is never the owner's wallet, so matching skips it.
public enum DevFeeMarker: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// VNish (AnthillOS): `URL` and `User` both `DevFee` (captures of VNish 2.0.3 and 3.8.6).
    case vnish
    /// Hiveon ASIC firmware: users `devFeeMiner.1`, `devFeeMiner.9` at priorities 9998/9999
    /// on ordinary pool URLs (Foreman capture of a Hiveon S9).
    case hiveon
    /// MSKminer: an entry with `URL` and `User` both `*` at priority 998 (Foreman capture of
    /// MSKminer 5.1). That it carries the dev fee is inferred from the capture, not documented.
    case mskminer

    /// The firmware and its marker, for explanations.
    public var description: String {
        switch self {
        case .vnish: "VNish DevFee"
        case .hiveon: "Hiveon devFeeMiner"
        case .mskminer: "MSKminer '*'"
        }
    }

    /// Whether a URL is one of the placeholders that are not addresses at all.
    static func isPlaceholderURL(_ url: some StringProtocol) -> Bool {
        url.lowercased() == "devfee" || url == "*"
    }

    /// Recognises a dev-fee pseudo-pool from the URL and user the device reports.
    /// - Parameters:
    ///   - url: the pool URL as reported.
    ///   - user: the pool user as reported.
    /// - Returns: the marker, or nil for an ordinary pool.
    public static func detect(url: String, user: String?) -> DevFeeMarker? {
        let url = url.trimmedForMatching()
        let user = (user ?? "").trimmedForMatching()
        if url.lowercased() == "devfee" || user.lowercased() == "devfee" { return .vnish }
        if user.lowercased().hasPrefix("devfeeminer") { return .hiveon }
        if url == "*" || (user == "*" && url.isEmpty) { return .mskminer }
        return nil
    }
}
