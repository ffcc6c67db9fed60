import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// The global options, resolved: flag first, then environment, then default.
public struct GlobalOptions: Sendable, Equatable {
    public var databasePath: String
    public var json: Bool
    /// Network deadline per operation, in seconds.
    public var timeout: Double
    public var quiet: Bool
    public var verbose: Bool
    public enum ColorChoice: String, Sendable { case auto, always, never }
    public var color: ColorChoice

    public static let defaultTimeout = 3.0

    /// Resolves the globals of an invocation.
    /// - Throws: `UsageError` for a bad flag value (64), or one marked `fromEnvironment`
    ///   for a bad environment value (78).
    public static func resolve(_ invocation: Invocation) throws(UsageError) -> GlobalOptions {
        let environment = invocation.environment
        let path: String
        if let flag = invocation.value("db") {
            guard !flag.isEmpty else { throw invocation.usageError("empty value for '--db'") }
            path = flag
        } else if let variable = environment["BITLINK_DB"], !variable.isEmpty {
            path = variable
        } else {
            path = defaultDatabasePath(environment)
        }

        let timeout: Double
        if let seconds = try invocation.positiveDuration("timeout") {
            timeout = seconds
        } else if let variable = environment["BITLINK_TIMEOUT"], !variable.isEmpty {
            guard let seconds = DurationParser.seconds(variable), seconds > 0 else {
                throw UsageError("invalid BITLINK_TIMEOUT '\(variable)': use a duration such as 3s or 500ms", fromEnvironment: true)
            }
            timeout = seconds
        } else {
            timeout = defaultTimeout
        }

        let color: ColorChoice
        if let choice = try invocation.choice("color", ["auto", "always", "never"]) {
            color = ColorChoice(rawValue: choice)!
        } else if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            color = .never
        } else {
            color = .auto
        }

        let debug = environment["BITLINK_DEBUG"].map { !$0.isEmpty && $0 != "0" } ?? false
        return GlobalOptions(
            databasePath: path,
            json: invocation.flag("json"),
            timeout: timeout,
            quiet: invocation.flag("quiet"),
            verbose: invocation.flag("verbose") || debug,
            color: color)
    }

    /// `$XDG_DATA_HOME/bitlink/bitlink.db`, falling back to `~/.local/share/bitlink/bitlink.db`.
    public static func defaultDatabasePath(_ environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/bitlink/bitlink.db"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return home + "/.local/share/bitlink/bitlink.db"
    }
}

/// What a command runs with: streams, terminal facts, globals, clock and the database.
/// Commands never reach for process globals themselves, so tests can swap any of it.
public final class Context {
    public let environment: [String: String]
    public let stdout: OutputStream
    public let stderr: OutputStream
    /// stdout is a terminal (or `BITLINK_FORCE_TTY=1`): tables, human units.
    public let stdoutIsTTY: Bool
    /// stderr is a terminal: progress lines are allowed.
    public let stderrIsTTY: Bool
    public let stdinIsTTY: Bool
    /// Width for tables and help, from `COLUMNS`, the terminal, or 80.
    public let width: Int
    public let globals: GlobalOptions
    /// How the command uses the database (from the command table).
    public let databaseAccess: DatabaseAccess
    /// Unix time in seconds; injectable for tests.
    public let now: @Sendable () -> Int64
    private var openedStore: Store?

    public init(
        environment: [String: String], stdout: OutputStream, stderr: OutputStream, stdoutIsTTY: Bool, stderrIsTTY: Bool,
        stdinIsTTY: Bool, width: Int, globals: GlobalOptions, databaseAccess: DatabaseAccess = .none,
        now: @escaping @Sendable () -> Int64 = { unixNow() }
    ) {
        self.environment = environment
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutIsTTY = stdoutIsTTY
        self.stderrIsTTY = stderrIsTTY
        self.stdinIsTTY = stdinIsTTY
        self.width = width
        self.globals = globals
        self.databaseAccess = databaseAccess
        self.now = now
    }

    /// Colour on stdout: `--color always`, or auto on a terminal without NO_COLOR.
    public var colorStdout: Bool {
        switch globals.color {
        case .always: return true
        case .never: return false
        case .auto: return stdoutIsTTY && environment["TERM"] != "dumb"
        }
    }

    /// Opens the database once per invocation, as the command declared in the table:
    /// `.create` makes the file when missing, `.existing` requires it (exit 66).
    public func store() throws -> Store {
        if let openedStore { return openedStore }
        switch databaseAccess {
        case .create:
            openedStore = try Store.open(path: globals.databasePath, mode: .write)
        case .existing, .optional:
            openedStore = try Store.open(path: globals.databasePath, mode: .read)
        case .none:
            throw BitlinkError(.internal, "this command declared no database")
        }
        return openedStore!
    }

    /// The database if the file exists, else nil; never creates it. Errors other than a
    /// missing file (a foreign file, a newer schema) are thrown.
    public func optionalStore() throws -> Store? {
        guard access(globals.databasePath, F_OK) == 0 else { return nil }
        if let openedStore { return openedStore }
        openedStore = try Store.open(path: globals.databasePath, mode: .read)
        return openedStore
    }

    /// The database if it exists and opens cleanly, else nil, with no error at all (for
    /// completion, which must never print into the user's shell).
    public func quietStore() -> Store? {
        try? optionalStore()
    }

    /// A warning on stderr (`bitlink: warning: ...`), unless `--quiet`.
    public func warn(_ message: String) {
        guard !globals.quiet else { return }
        try? stderr.line("bitlink: warning: \(message)")
        try? stderr.flush()
    }

    /// A diagnostic on stderr, only with `--verbose`.
    public func debug(_ message: String) {
        guard globals.verbose else { return }
        try? stderr.line("bitlink: debug: \(message)")
        try? stderr.flush()
    }

    /// An informational line on stderr (summaries, hints), unless `--quiet`.
    public func note(_ message: String) {
        guard !globals.quiet else { return }
        try? stderr.line(message)
        try? stderr.flush()
    }
}

/// Facts about the real process's terminal.
enum Terminal {
    static func isTTY(_ descriptor: Int32, environment: [String: String]) -> Bool {
        if environment["TERM"] == "dumb" { return false }
        return isatty(descriptor) == 1
    }

    static func width(environment: [String: String]) -> Int {
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
