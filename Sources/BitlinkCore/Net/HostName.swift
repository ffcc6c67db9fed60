/// Validation of the HOST a user gives to `miners add`: an IPv4 address or a DNS name.
public enum HostName {
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case badIPv4(String)
        case badName(String)

        public var description: String {
            switch self {
            case .empty: return "empty address"
            case .badIPv4(let text): return "'\(text)' is not a valid IPv4 address"
            case .badName(let text): return "'\(text)' is neither an IPv4 address nor a valid host name"
            }
        }
    }

    /// Returns the normalized host (lower-case names, canonical IPv4), or throws why not.
    public static func validate(_ text: String) throws(Problem) -> String {
        guard !text.isEmpty else { throw .empty }
        // Four dot-separated all-digit parts must be a real IPv4 address (no 999.1.1.1).
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) {
            guard parts.count == 4, let address = IPv4Address(text) else { throw .badIPv4(text) }
            return address.description
        }
        // RFC 1123 labels: letters, digits and inner hyphens, 1-63 characters, 253 in all.
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard name.utf8.count <= 253 else { throw .badName(text) }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 })
            else { throw .badName(text) }
        }
        return name
    }
}
