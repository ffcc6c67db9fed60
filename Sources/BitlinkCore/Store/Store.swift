import CSQLite

#if canImport(Glibc)
import Glibc
#endif

/// The bitlink database: one SQLite file shared by every invocation (DESIGN.md section 4).
///
/// Opening rules:
/// - read commands open without `CREATE`, so a mistyped `--db` never creates a file;
/// - write commands create the file (mode 0600) and its directory (mode 0700);
/// - WAL journal, 5 s busy timeout, foreign keys on, every connection;
/// - the schema is migrated on open, by read and write commands alike, each migration in
///   its own `BEGIN IMMEDIATE` transaction; a newer schema is refused, never downgraded;
/// - a SQLite file that is not a bitlink database is refused.
public final class Store {
    public enum Mode: Sendable {
        /// Open an existing database only.
        case read
        /// Create the database when missing.
        case write
    }

    public let connection: SQLiteConnection
    public let path: String

    /// Opens (or creates) the database.
    /// - Throws: `BitlinkError` with `.databaseMissing`, `.cannotCreate`, `.databaseVersion`,
    ///   `.databaseCorrupt`, `.databaseBusy`, `.permission` or `.io`.
    public static func open(path: String, mode: Mode, busyTimeoutMilliseconds: Int32 = 5000) throws -> Store {
        var created = false
        if access(path, F_OK) != 0 {
            switch mode {
            case .read:
                throw BitlinkError(
                    .databaseMissing, "no database at \(path)",
                    hint: "add a miner with 'bitlink miners add HOST' or 'bitlink scan', or pass --db PATH")
            case .write:
                try createFile(at: path)
                created = true
            }
        } else if access(path, R_OK | W_OK) != 0 {
            throw BitlinkError(.permission, "cannot open database \(path): \(String(cString: strerror(errno)))")
        }
        let connection: SQLiteConnection
        do {
            connection = try SQLiteConnection(path: path, create: mode == .write, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            throw Store.translate(error, path: path)
        }
        let store = Store(connection: connection, path: path)
        do {
            try store.configure(newFile: created)
            try store.migrate(newFile: created)
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
        return store
    }

    private init(connection: SQLiteConnection, path: String) {
        self.connection = connection
        self.path = path
    }

    /// Creates the parent directory (0700) and an empty file (0600) before SQLite opens
    /// it, so the database never exists with looser permissions, whatever the umask.
    private static func createFile(at path: String) throws {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            let directory = String(path[..<slash])
            try makeDirectories(directory)
        }
        let fd = Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw BitlinkError(.cannotCreate, "cannot create database \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
    }

    private static func makeDirectories(_ directory: String) throws {
        var isDirectory = stat()
        if stat(directory, &isDirectory) == 0 { return }
        if let slash = directory.lastIndex(of: "/"), slash != directory.startIndex {
            try makeDirectories(String(directory[..<slash]))
        }
        if mkdir(directory, 0o700) != 0 && errno != EEXIST {
            throw BitlinkError(.cannotCreate, "cannot create directory \(directory): \(String(cString: strerror(errno)))")
        }
    }

    private func configure(newFile: Bool) throws {
        try connection.execute("PRAGMA foreign_keys = ON")
        if newFile { try enableWAL() }
        // synchronous belongs to the connection, not the file: repeat on every open.
        try connection.execute("PRAGMA synchronous = NORMAL")
    }

    /// WAL lets a cron writer (watch, shares log) run beside readers. The mode is stored
    /// in the file, so it is set once, when the file is created.
    private func enableWAL() throws {
        let mode = try connection.scalar("PRAGMA journal_mode = WAL")
        guard case .text(let text)? = mode, text.lowercased() == "wal" else {
            throw BitlinkError(.io, "cannot enable WAL journal on \(path)")
        }
    }

    /// The schema version stored in the file.
    public func schemaVersion() throws -> Int {
        guard case .integer(let version)? = try connection.scalar("PRAGMA user_version") else { return 0 }
        return Int(version)
    }

    private func migrate(newFile: Bool) throws {
        let version = try schemaVersion()
        if version > Schema.latestVersion {
            throw BitlinkError(
                .databaseVersion,
                "database schema \(version) is newer than this bitlink (\(Schema.latestVersion)): \(path)",
                hint: "upgrade bitlink; the database is left untouched")
        }
        if version == Schema.latestVersion { return }
        if version == 0 {
            // A SQLite file with tables but no bitlink version is someone else's database.
            let foreign = try connection.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ) { $0.string(0) ?? "" }
            if !foreign.isEmpty {
                throw BitlinkError(
                    .databaseCorrupt, "\(path) is not a bitlink database (it has tables: \(foreign.sorted().joined(separator: ", ")))",
                    hint: "pass --db with the path of a bitlink database, or a new file name")
            }
            // An empty file someone created: give it the journal mode a new file gets.
            if !newFile { try enableWAL() }
        }
        for target in (version + 1)...Schema.latestVersion {
            try connection.writeTransaction {
                // Re-read inside the lock: another process may have migrated meanwhile.
                let current = try schemaVersion()
                guard current < target else { return }
                try connection.executeScript(Schema.migrations[target - 1])
                try connection.execute("PRAGMA user_version = \(target)")
            }
        }
    }

    /// Runs a write command's work in one `BEGIN IMMEDIATE` transaction, mapping SQLite
    /// failures to `BitlinkError`.
    @discardableResult
    public func write<T>(_ body: () throws -> T) throws -> T {
        do {
            return try connection.writeTransaction(body)
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
    }

    /// Runs read work, mapping SQLite failures to `BitlinkError`.
    public func read<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
    }

    /// Maps SQLite result codes to bitlink's error codes (conventions.md F.7).
    public static func translate(_ error: SQLiteError, path: String) -> BitlinkError {
        switch error.primaryCode {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return BitlinkError(
                .databaseBusy, "database is busy: \(path)",
                hint: "another bitlink is writing; retry in a moment")
        case SQLITE_NOTADB:
            return BitlinkError(.databaseCorrupt, "\(path) is not a bitlink database (not a SQLite file)",
                hint: "pass --db with the path of a bitlink database, or a new file name")
        case SQLITE_CORRUPT:
            return BitlinkError(.databaseCorrupt, "database \(path) is corrupt: \(error.message)")
        case SQLITE_CANTOPEN:
            return BitlinkError(.cannotCreate, "cannot open database \(path): \(error.message)")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH:
            return BitlinkError(.permission, "cannot write database \(path): \(error.message)")
        case SQLITE_FULL, SQLITE_IOERR:
            return BitlinkError(.io, "database I/O error on \(path): \(error.message)")
        case SQLITE_CONSTRAINT:
            return BitlinkError(.alreadyExists, error.message)
        default:
            return BitlinkError(.internal, "database error: \(error.description)")
        }
    }
}

/// The current Unix time in seconds.
public func unixNow() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec)
}
