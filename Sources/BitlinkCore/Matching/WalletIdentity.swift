/// What a tracked wallet, or the first part of a pool user, names: a Bitcoin address that
/// the pool pays to directly, or an account name registered with a pool.
///
/// Account names are 1-64 ASCII letters, digits, `_` and `-`. A `.` is refused because
/// every pool in the registry uses it to separate the worker name (`acme.rig1` is account
/// `acme`, worker `rig1`), so an account containing one could never be matched. `_` is
/// allowed because account pools do use it in names (AntPool's stock `antminer_1`); the
/// ckpool family, which also splits workers at `_`, pays to addresses, which contain none.
/// The 64-character limit is ours: ckpool caps user names at 127, DATUM at 191; no account
/// pool we know documents a limit above 64.
public enum WalletIdentity: Sendable, Hashable, CustomStringConvertible {
    /// A valid Bitcoin address.
    case address(BitcoinAddress)
    /// A pool account name, as written.
    case account(String)

    /// Longest account name accepted.
    public static let maxAccountLength = 64

    /// The key two identities are compared by: the canonical address (Bech32 lower-cased,
    /// Base58 as written), or the account name lower-cased. Account names compare
    /// case-insensitively because pools' sign-up systems treat `Acme` and `acme` as one
    /// account (an assumption: no pool documents it either way).
    public var matchKey: String {
        switch self {
        case let .address(address): address.string
        case let .account(name): name.lowercased()
        }
    }

    /// The address or account name as it will be stored.
    public var description: String {
        switch self {
        case let .address(address): address.string
        case let .account(name): name
        }
    }

    /// Classifies a wallet string as given to `bitlink wallets add`, or the identity part of
    /// a pool user. Surrounding white space is ignored.
    ///
    /// A string that looks like an address attempt (a `bc1`/`tb1`/`bcrt1` prefix, another
    /// coin's Bech32 address, or 25-35 Base58 characters starting with `1`, `3`, `m`, `n`
    /// or `2`) is judged as an address, so a typo gives "invalid Bitcoin address: bad
    /// checksum" instead of silently becoming an account name.
    /// - Parameter text: the wallet string.
    /// - Returns: `.address` or `.account`.
    /// - Throws: `WalletIdentityError` with the reason.
    public static func parse(_ text: some StringProtocol) throws(WalletIdentityError) -> WalletIdentity {
        let trimmed = text.trimmedForMatching()
        guard !trimmed.isEmpty else { throw .empty }
        do {
            return .address(try BitcoinAddress.parse(trimmed))
        } catch {
            if looksLikeAddress(trimmed, error: error) { throw .invalidAddress(error) }
        }
        if let problem = accountProblem(trimmed) { throw .invalidAccount(problem) }
        return .account(String(trimmed))
    }

    /// Classifies a wallet string; nil when it is neither an address nor an account name.
    public init?(_ text: some StringProtocol) {
        guard let identity = try? Self.parse(text) else { return nil }
        self = identity
    }

    private static func looksLikeAddress(_ text: Substring, error: AddressError) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("bc1") || lower.hasPrefix("tb1") || lower.hasPrefix("bcrt1") { return true }
        if case .unknownPrefix = error { return true }  // a valid Bech32 string of another coin
        guard (25...35).contains(text.utf8.count), let first = text.first, "13mn2".contains(first) else {
            return false
        }
        return text.allSatisfy { ch in ch.asciiValue.map { Base58.alphabet.contains($0) } ?? false }
    }

    private static func accountProblem(_ text: Substring) -> AccountNameError? {
        if text.utf8.count > maxAccountLength { return .tooLong(text.utf8.count) }
        for ch in text {
            if ch == "." { return .containsWorkerSeparator }
            guard let ascii = ch.asciiValue,
                  (ascii >= UInt8(ascii: "a") && ascii <= UInt8(ascii: "z"))
                  || (ascii >= UInt8(ascii: "A") && ascii <= UInt8(ascii: "Z"))
                  || (ascii >= UInt8(ascii: "0") && ascii <= UInt8(ascii: "9"))
                  || ascii == UInt8(ascii: "_") || ascii == UInt8(ascii: "-")
            else { return .invalidCharacter(ch) }
        }
        return nil
    }
}

/// Why an account name is refused.
public enum AccountNameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More than `WalletIdentity.maxAccountLength` characters.
    case tooLong(Int)
    /// A `.`, which separates the worker name on every pool.
    case containsWorkerSeparator
    /// Anything but ASCII letters, digits, `_` and `-`.
    case invalidCharacter(Character)

    /// A short reason, completing "invalid pool account name: ...".
    public var description: String {
        switch self {
        case let .tooLong(count): "too long (\(count) characters, at most \(WalletIdentity.maxAccountLength))"
        case .containsWorkerSeparator: "contains '.', which separates the worker name; give the account alone"
        case let .invalidCharacter(ch):
            ch == " " ? "contains a space" : "invalid character '\(ch)' (use letters, digits, '_' and '-')"
        }
    }
}

/// Why a wallet string is neither an address nor an account name. `description` is the
/// whole message, for example `invalid Bitcoin address: bad checksum`.
public enum WalletIdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing but white space.
    case empty
    /// It looks like an address but is not a valid one.
    case invalidAddress(AddressError)
    /// Not an address, and not a valid account name either.
    case invalidAccount(AccountNameError)

    /// The whole message.
    public var description: String {
        switch self {
        case .empty: "empty wallet: give a Bitcoin address or a pool account name"
        case let .invalidAddress(error): "invalid Bitcoin address: \(error)"
        case let .invalidAccount(error): "invalid pool account name: \(error)"
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing white space (spaces, tabs, newlines), as a
    /// substring; Foundation's `trimmingCharacters` is not used so the module stays pure Swift.
    func trimmedForMatching() -> Substring {
        let text = Substring(self)
        guard let start = text.firstIndex(where: { !$0.isWhitespace }),
              let end = text.lastIndex(where: { !$0.isWhitespace })
        else { return text[text.endIndex...] }
        return text[start...end]
    }
}
