/// A pool address as miners report it, taken apart: `stratum+tcp://host:port`, the TLS
/// forms, Stratum V2 with the pool's authority key (`stratum2+tcp://host:port/<key>`),
/// `tcp://`, and the scheme-less `host:port` or bare `host` that AxeOS and cgminer's
/// `Stratum URL` report (AxeOS gives the port in a separate field).
///
/// The host is lower-cased, surrounding spaces and trailing slashes are dropped, and a
/// missing scheme is taken as plain Stratum V1 over TCP, which is what those firmwares
/// connect with.
public struct PoolURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL scheme. Unknown schemes are refused rather than guessed.
    public enum Scheme: String, Sendable, CaseIterable {
        /// Stratum V1 over plain TCP; also what a URL without scheme means.
        case stratumTCP = "stratum+tcp"
        /// Stratum V1 over TLS (F2Pool's `btcssl` hosts, for example).
        case stratumSSL = "stratum+ssl"
        /// Stratum V1 over TLS, the spelling some firmwares use.
        case stratumTLS = "stratum+tls"
        /// Stratum V2; the path carries the pool's authority public key (Braiins, SRI).
        case stratumV2 = "stratum2+tcp"
        /// Plain TCP, as some firmwares write Stratum V1.
        case tcp = "tcp"

        /// Whether the connection is encrypted (V2 always is, with its Noise handshake).
        public var isEncrypted: Bool { self == .stratumSSL || self == .stratumTLS || self == .stratumV2 }
    }

    /// The scheme, `stratum+tcp` when none was given.
    public let scheme: Scheme
    /// True when the input had no scheme and `scheme` is the assumed `stratum+tcp`.
    public let schemeWasImplied: Bool
    /// Lower-cased host name, IPv4 address, or IPv6 address (without brackets).
    public let host: String
    /// The port, nil when the text had none (AxeOS reports it separately).
    public let port: Int?
    /// The Stratum V2 authority key from the path, Base58 text as given (case-sensitive).
    /// Checked only for the Base58 alphabet: its framing differs between implementations.
    public let authorityKey: String?
    /// NiceHash's `#xnsub` suffix: the miner should send `mining.extranonce.subscribe`.
    public let extranonceSubscribe: Bool

    /// The canonical text, `scheme://host[:port][/key]`, for comparing and storing.
    /// The `#xnsub` suffix is left out: it changes how the miner talks, not where to.
    public var normalized: String {
        var text = scheme.rawValue + "://" + (host.contains(":") ? "[\(host)]" : host)
        if let port { text += ":\(port)" }
        if let authorityKey { text += "/" + authorityKey }
        return text
    }

    /// The normalized text.
    public var description: String { normalized }

    /// Whether the host is an IP address literal (a LAN proxy or a local pool, usually).
    public var hostIsIPAddress: Bool { host.contains(":") || IPv4Address(host) != nil }

    /// Parses a pool URL; nil when it is refused (see `parse` for why).
    public init?(_ text: some StringProtocol) {
        guard let url = try? Self.parse(text) else { return nil }
        self = url
    }

    private init(scheme: Scheme, implied: Bool, host: String, port: Int?, key: String?, xnsub: Bool) {
        self.scheme = scheme
        self.schemeWasImplied = implied
        self.host = host
        self.port = port
        self.authorityKey = key
        self.extranonceSubscribe = xnsub
    }

    /// Parses a host reported without its port, as AxeOS does (`stratumURL` + `stratumPort`).
    /// - Parameters:
    ///   - text: the host, or a whole URL; a port in it wins over `port`.
    ///   - port: the separately reported port; 0 or nil means none.
    /// - Returns: the URL.
    /// - Throws: `PoolURLError`, as `parse(_:)`, or `.invalidPort` for a port outside 1-65535.
    public static func parse(_ text: some StringProtocol, port: Int?) throws(PoolURLError) -> PoolURL {
        let url = try parse(text)
        guard url.port == nil, let port, port != 0 else { return url }
        guard (1...65535).contains(port) else { throw .invalidPort(String(port)) }
        return PoolURL(scheme: url.scheme, implied: url.schemeWasImplied, host: url.host, port: port,
                       key: url.authorityKey, xnsub: url.extranonceSubscribe)
    }

    /// Parses a pool URL as a miner reports it.
    /// - Parameter text: for example `stratum+tcp://btc.f2pool.com:1314`, `solo.ckpool.org:3333`,
    ///   `stratum2+tcp://v2.stratum.braiins.com/<key>`.
    /// - Returns: the URL with scheme, host, port and key.
    /// - Throws: `PoolURLError`: `.empty`, `.placeholder` for firmware pseudo-pools such as
    ///   VNish's `DevFee`, `.unsupportedScheme`, `.invalidHost`, `.invalidPort`,
    ///   `.unexpectedPath`, `.invalidAuthorityKey`, `.unexpectedUserInfo`, `.unexpectedFragment`.
    public static func parse(_ text: some StringProtocol) throws(PoolURLError) -> PoolURL {
        var rest = text.trimmedForMatching()
        guard !rest.isEmpty else { throw .empty }
        if DevFeeMarker.isPlaceholderURL(rest) { throw .placeholder(String(rest)) }

        var xnsub = false
        if let hash = rest.firstIndex(of: "#") {
            let fragment = rest[rest.index(after: hash)...]
            guard fragment.lowercased() == "xnsub" else { throw .unexpectedFragment(String(fragment)) }
            xnsub = true
            rest = rest[..<hash]
        }

        var scheme = Scheme.stratumTCP
        var implied = true
        if let range = rest.firstRange(of: "://") {
            let name = rest[..<range.lowerBound].lowercased()
            guard let known = Scheme(rawValue: name) else { throw .unsupportedScheme(name) }
            scheme = known
            implied = false
            rest = rest[range.upperBound...]
        }

        let authority: Substring
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
        }
        // Trailing slashes are noise (`host:3333/`), not a path.
        while path.hasSuffix("/") { path = path.dropLast() }

        guard !authority.contains("@") else { throw .unexpectedUserInfo }
        let (host, port) = try splitHostPort(authority)

        var key: String?
        if !path.isEmpty {
            guard scheme == .stratumV2 else { throw .unexpectedPath(String(path)) }
            guard path.utf8.allSatisfy({ Base58.alphabet.contains($0) }) else {
                throw .invalidAuthorityKey(String(path))
            }
            key = String(path)
        }
        return PoolURL(scheme: scheme, implied: implied, host: host, port: port, key: key, xnsub: xnsub)
    }

    private static func splitHostPort(_ authority: Substring) throws(PoolURLError) -> (String, Int?) {
        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            // IPv6 literal: [addr] or [addr]:port.
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost(String(authority)) }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidHost(String(authority)) }
                portPart = after.dropFirst()
            }
            let ok = !hostPart.isEmpty && hostPart.contains(":")
                && hostPart.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
            guard ok else { throw .invalidHost(String(authority)) }
            return (hostPart.lowercased(), try parsePort(portPart))
        }
        let colons = authority.filter { $0 == ":" }.count
        guard colons <= 1 else { throw .invalidHost(String(authority)) }  // bare IPv6 is ambiguous
        if let colon = authority.firstIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        if hostPart.hasSuffix(".") { hostPart = hostPart.dropLast() }  // fully qualified `host.`
        let host = hostPart.lowercased()
        guard isValidHostName(host) else { throw .invalidHost(String(hostPart)) }
        return (host, try parsePort(portPart))
    }

    private static func parsePort(_ text: Substring?) throws(PoolURLError) -> Int? {
        guard let text else { return nil }
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int(text), (1...65535).contains(value)
        else { throw .invalidPort(String(text)) }
        return value
    }

    /// RFC 1123 host names: dot-separated labels of 1-63 letters, digits and inner hyphens,
    /// 253 characters at most. An all-numeric name must be a valid dotted-quad IPv4 address.
    private static func isValidHostName(_ host: String) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        var allNumeric = true
        for label in host.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, label.first != "-", label.last != "-" else { return false }
            for byte in label.utf8 {
                let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                let isLetter = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
                guard isDigit || isLetter || byte == UInt8(ascii: "-") else { return false }
                if !isDigit { allNumeric = false }
            }
        }
        return allNumeric ? IPv4Address(host) != nil : true
    }
}

/// Why a pool URL was refused. `description` is a short reason.
public enum PoolURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing but white space.
    case empty
    /// A firmware pseudo-pool that is not an address at all (VNish `DevFee`, MSKminer `*`).
    case placeholder(String)
    /// A scheme that is not a Stratum one (`http`, `stratum+udp`).
    case unsupportedScheme(String)
    /// Not a host name, IPv4 or bracketed IPv6 address.
    case invalidHost(String)
    /// Not a number in 1-65535.
    case invalidPort(String)
    /// A path on a scheme that has none (only Stratum V2 carries a key there).
    case unexpectedPath(String)
    /// A V2 key with characters outside the Base58 alphabet.
    case invalidAuthorityKey(String)
    /// `user:pass@` in the URL: cgminer-family miners take the user separately.
    case unexpectedUserInfo
    /// A `#` suffix other than NiceHash's `#xnsub`.
    case unexpectedFragment(String)

    /// A short reason, for example `invalid port '0'`.
    public var description: String {
        switch self {
        case .empty: "empty pool URL"
        case let .placeholder(text): "'\(text)' is a firmware pseudo-pool, not an address"
        case let .unsupportedScheme(scheme): "unsupported scheme '\(scheme)'"
        case let .invalidHost(host): "invalid host '\(host)'"
        case let .invalidPort(port): "invalid port '\(port)'"
        case let .unexpectedPath(path): "unexpected path '/\(path)' (only stratum2+tcp carries a key)"
        case let .invalidAuthorityKey(key): "invalid Stratum V2 authority key '\(key)'"
        case .unexpectedUserInfo: "user name inside the URL"
        case let .unexpectedFragment(fragment): "unexpected '#\(fragment)'"
        }
    }
}
