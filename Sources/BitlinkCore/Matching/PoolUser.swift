/// A pool user as configured on a miner, split into the identity the pool pays or credits
/// (a Bitcoin address or an account name) and the worker name.
///
/// The split happens at the first separator, and everything after it is the worker, which
/// may itself contain separators: `addr.rig.1` is worker `rig.1`. That is ckpool's and
/// NerdMiner's reading (NerdMiner strips from the first `.` before calling pool APIs);
/// public-pool keeps only the text up to a second `.` as the worker name, which does not
/// change the identity.
public struct PoolUser: Sendable, Equatable, CustomStringConvertible {
    /// What the part before the worker name is.
    public enum Identity: Sendable, Equatable {
        /// A valid Bitcoin address.
        case address(BitcoinAddress)
        /// A valid pool account name.
        case account(String)
        /// Nothing before the worker name, or no user at all.
        case empty
        /// Neither a valid address nor a valid account name (`!non-existent-user!`, `Yop yop`,
        /// the anonymised `bc1...`).
        case invalid(WalletIdentityError)
    }

    /// The user as reported, with surrounding white space removed.
    public let raw: String
    /// The text before the separator, as written (before any case folding).
    public let identityText: String
    /// The worker name, nil when there is none or it is empty.
    public let worker: String?
    /// The separator that was used, if any.
    public let separator: Character?
    /// The classified identity.
    public let identity: Identity

    /// The user as reported.
    public var description: String { raw }

    /// The address, when the identity is one.
    public var address: BitcoinAddress? {
        if case let .address(address) = identity { address } else { nil }
    }

    /// The account name, when the identity is one.
    public var account: String? {
        if case let .account(name) = identity { name } else { nil }
    }

    /// Splits and classifies a pool user.
    /// - Parameters:
    ///   - text: the user as the miner reports it (`bc1q....rig1`, `acme.001`, `antminer_1`).
    ///   - separators: the pool's convention (`KnownPool.workerSeparators`); for a host not
    ///     in the registry pass `.dotOrUnderscoreAfterAddress`, the default.
    /// - Returns: the parsed user; never fails, an unusable user has identity `.invalid`.
    public static func parse(
        _ text: some StringProtocol,
        separators: KnownPool.WorkerSeparators = .dotOrUnderscoreAfterAddress
    ) -> PoolUser {
        let raw = text.trimmedForMatching()
        guard !raw.isEmpty else {
            return PoolUser(raw: "", identityText: "", worker: nil, separator: nil, identity: .empty)
        }
        let splitAt: String.Index?
        switch separators {
        case .dot:
            splitAt = raw.firstIndex(of: ".")
        case .dotOrUnderscore:
            splitAt = raw.firstIndex { $0 == "." || $0 == "_" }
        case .dotOrUnderscoreAfterAddress:
            let dot = raw.firstIndex(of: ".")
            let head = raw[..<(dot ?? raw.endIndex)]
            if let underscore = head.firstIndex(of: "_"), BitcoinAddress(head[..<underscore]) != nil {
                splitAt = underscore
            } else {
                splitAt = dot
            }
        }
        let head = splitAt.map { raw[..<$0] } ?? raw
        let tail = splitAt.map { raw[raw.index(after: $0)...] } ?? ""
        let identity: Identity
        if head.isEmpty {
            identity = .empty
        } else {
            do {
                switch try WalletIdentity.parse(head) {
                case let .address(address): identity = .address(address)
                case let .account(name): identity = .account(name)
                }
            } catch {
                identity = .invalid(error)
            }
        }
        return PoolUser(
            raw: String(raw), identityText: String(head), worker: tail.isEmpty ? nil : String(tail),
            separator: splitAt.map { raw[$0] }, identity: identity
        )
    }

    /// Splits a pool user with the convention of the pool its URL points at.
    /// - Parameters:
    ///   - text: the user as reported.
    ///   - pool: the known pool, or nil when the host is not in the registry.
    /// - Returns: the parsed user.
    public static func parse(_ text: some StringProtocol, pool: KnownPool?) -> PoolUser {
        parse(text, separators: pool?.workerSeparators ?? .dotOrUnderscoreAfterAddress)
    }
}
