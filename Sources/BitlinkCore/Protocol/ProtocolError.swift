/// Why a codec could not read a reply. Every codec in `Protocol/` throws this, never
/// crashes, and never loops on bad input (conventions.md section I.2).
public enum ProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing to read: no bytes, or only whitespace and NULs.
    case empty
    /// The input ends before the document does (a cut or overflowed reply). `offset` is
    /// where the input ended.
    case truncated(offset: Int)
    /// The input is not the expected format at `offset` (garbage, HTML, a wrong protocol).
    case invalid(String, offset: Int)

    /// True for `.truncated`: the reply may be complete on a retry, or salvageable.
    public var isTruncated: Bool {
        if case .truncated = self { return true }
        return false
    }

    /// A short English explanation, for error output.
    public var description: String {
        switch self {
        case .empty: return "empty reply"
        case .truncated(let offset): return "reply cut short after \(offset) bytes"
        case .invalid(let why, let offset): return "\(why) at byte \(offset)"
        }
    }
}
