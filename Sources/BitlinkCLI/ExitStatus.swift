import BitlinkCore

/// bitlink's exit statuses (DESIGN.md section 5). `man/bitlink.1` lists the same table;
/// a drift test keeps them in step.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case ok = 0
    case failure = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case cannotCreate = 73
    case ioError = 74
    case tempFail = 75
    case protocolError = 76
    case noPermission = 77
    case config = 78
    case interrupted = 130
    case terminated = 143

    /// One line, as `man/bitlink.1` EXIT STATUS gives it.
    public var meaning: String {
        switch self {
        case .ok: return "Success, including empty results."
        case .failure: return "A domain failure (a duplicate miner or wallet, a refused change), or some targets of a multi-target command failed."
        case .usage: return "Bad command, option, value or argument count."
        case .dataError: return "Bad input data, a foreign or corrupt database, or a database schema newer than this bitlink."
        case .noInput: return "The database (for a read command), an input file, or the named miner or wallet does not exist."
        case .unavailable: return "The miner is unreachable: connection refused, or host or network unreachable."
        case .software: return "Internal error; please report it."
        case .cannotCreate: return "Cannot create the database or its directory."
        case .ioError: return "Write failure on standard output, or a database I/O error or full disk."
        case .tempFail: return "The network timed out, or the database stayed locked past the busy timeout; retry later."
        case .protocolError: return "The miner answered with something bitlink cannot read."
        case .noPermission: return "The miner refused the read, or the database file cannot be accessed."
        case .config: return "A bad value in an environment variable."
        case .interrupted: return "Interrupted by SIGINT."
        case .terminated: return "Terminated by SIGTERM."
        }
    }

    /// The status for a core error.
    public init(_ code: BitlinkError.Code) {
        switch code {
        case .usage: self = .usage
        case .alreadyExists, .failure: self = .failure
        case .notFound: self = .noInput
        case .invalidInput: self = .dataError
        case .unreachable: self = .unavailable
        case .timeout, .databaseBusy: self = .tempFail
        case .protocolViolation: self = .protocolError
        case .notPermitted, .permission: self = .noPermission
        case .databaseMissing: self = .noInput
        case .databaseVersion, .databaseCorrupt: self = .dataError
        case .cannotCreate: self = .cannotCreate
        case .io: self = .ioError
        default: self = .software
        }
    }
}
