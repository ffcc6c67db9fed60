/// The one error type the core hands to the command line. The CLI maps `code` to an
/// exit status and prints `message` (plus `hint`, when a fix is known).
public struct BitlinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let usage = Code(rawValue: "usage")
        public static let notFound = Code(rawValue: "not_found")
        public static let alreadyExists = Code(rawValue: "already_exists")
        public static let invalidInput = Code(rawValue: "invalid_input")
        public static let unreachable = Code(rawValue: "unreachable")
        public static let timeout = Code(rawValue: "timeout")
        public static let protocolViolation = Code(rawValue: "protocol")
        public static let notPermitted = Code(rawValue: "not_permitted")
        public static let databaseBusy = Code(rawValue: "database_busy")
        public static let databaseMissing = Code(rawValue: "database_missing")
        public static let databaseVersion = Code(rawValue: "database_version")
        public static let databaseCorrupt = Code(rawValue: "database_corrupt")
        public static let cannotCreate = Code(rawValue: "cannot_create")
        public static let permission = Code(rawValue: "permission")
        public static let io = Code(rawValue: "io")
        public static let failure = Code(rawValue: "failure")
        public static let `internal` = Code(rawValue: "internal")
    }

    public var code: Code
    public var message: String
    public var hint: String?

    public init(_ code: Code, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    public var description: String { message }
}
