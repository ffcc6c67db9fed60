import CSQLite

#if canImport(Glibc)
import Glibc
#endif

/// A value bound to or read from SQLite, one case per storage class.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
    public init(_ value: Double?) {
        guard let value, value.isFinite else { self = .null; return }
        self = .real(value)
    }
}

/// A SQLite failure with the primary and extended result codes and the message from
/// `sqlite3_errmsg` (which names the table and column, unlike `sqlite3_errstr`).
/// Bound arguments are never part of it.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var extendedCode: Int32
    public var message: String
    public var sql: String?

    public var primaryCode: Int32 { extendedCode & 0xFF }

    public var description: String {
        sql.map { "\(message) (in: \($0))" } ?? message
    }

    // Extended codes are C macros built from shifts, which Swift does not import.
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)

    public var isUniqueViolation: Bool { extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey }
}

/// One connection. Not thread-safe: each invocation of bitlink opens one and uses it
/// from one thread.
public final class SQLiteConnection {
    let handle: OpaquePointer
    /// Prepared statements by SQL text, reused by `query`, `execute` and `scalar`: a watch
    /// round runs the same few statements thousands of times.
    private var statementCache: [String: Statement] = [:]

    /// Opens a database file.
    /// - Parameters:
    ///   - path: the file.
    ///   - create: whether to create the file when missing (write commands only).
    ///   - busyTimeoutMilliseconds: how long to wait for another writer's lock.
    public init(path: String, create: Bool, busyTimeoutMilliseconds: Int32 = 5000) throws(SQLiteError) {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if create { flags |= SQLITE_OPEN_CREATE }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(extendedCode: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        _ = bitlink_sqlite_disable_dqs(db)
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// A cached statement for `sql`, or a fresh one when the cached one is being stepped
    /// (a query run from inside another's row callback).
    func reusable(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = statementCache[sql], !cached.busy { return cached }
        let statement = try prepare(sql)
        if statementCache[sql] == nil { statementCache[sql] = statement }
        return statement
    }

    /// Prepares exactly one statement; a leftover tail is refused.
    public func prepare(_ sql: String) throws(SQLiteError) -> Statement {
        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let rc = sql.withCString { sqlite3_prepare_v2(handle, $0, -1, &statement, &tail) }
        guard rc == SQLITE_OK, let statement else {
            throw error(rc, sql: sql)
        }
        if let tail, tail.pointee != 0 {
            let rest = String(cString: tail).trimmingASCIISpaces()
            if !rest.isEmpty {
                sqlite3_finalize(statement)
                throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "more than one statement in one prepare", sql: sql)
            }
        }
        return Statement(connection: self, handle: statement, sql: sql)
    }

    /// Runs one statement with bound arguments, discarding rows.
    public func execute(_ sql: String, _ arguments: [SQLValue] = []) throws(SQLiteError) {
        let statement = try reusable(sql)
        statement.busy = true
        defer { statement.finish() }
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs a script of several statements; only for migrations and pragmas.
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, sql: nil)
        }
    }

    /// All rows of a query, mapped.
    public func query<T>(_ sql: String, _ arguments: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        let statement = try reusable(sql)
        statement.busy = true
        defer { statement.finish() }
        try statement.bind(arguments)
        var result: [T] = []
        while try statement.step() {
            result.append(try map(statement.row))
        }
        return result
    }

    /// The first column of the first row, if any.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws(SQLiteError) -> SQLValue? {
        let statement = try reusable(sql)
        statement.busy = true
        defer { statement.finish() }
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.row[0]
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front,
    /// so a concurrent writer waits in the busy handler at BEGIN instead of failing
    /// half-way. Commits on return, rolls back on throw.
    @discardableResult
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// A prepared statement; finalized when released.
public final class Statement {
    unowned let connection: SQLiteConnection
    let handle: OpaquePointer
    let sql: String
    /// Being stepped by a cached use; not to be rebound until `finish()`.
    var busy = false

    init(connection: SQLiteConnection, handle: OpaquePointer, sql: String) {
        self.connection = connection
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds 1-based arguments; their count must match.
    public func bind(_ arguments: [SQLValue]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == arguments.count else {
            throw SQLiteError(extendedCode: SQLITE_RANGE, message: "statement takes \(expected) arguments, got \(arguments.count)", sql: sql)
        }
        for (offset, value) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let int): rc = sqlite3_bind_int64(handle, index, int)
            case .real(let double): rc = sqlite3_bind_double(handle, index, double)
            case .text(let string): rc = sqlite3_bind_text(handle, index, string, -1, bitlink_sqlite_transient())
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), bitlink_sqlite_transient()) }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
        }
    }

    /// Advances; true when a row is available, false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(rc, sql: sql)
        }
    }

    /// Binds, runs to completion, and resets, for reuse in bulk inserts.
    public func run(_ arguments: [SQLValue]) throws(SQLiteError) {
        try bind(arguments)
        while try step() {}
        sqlite3_reset(handle)
    }

    public var row: Row { Row(handle: handle) }

    /// Ends a cached use: resets (releasing any read lock) and frees the statement for reuse.
    func finish() {
        sqlite3_reset(handle)
        busy = false
    }
}

/// The current row of a statement. Valid until the next step.
public struct Row {
    let handle: OpaquePointer

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public subscript(index: Int) -> SQLValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT: return .text(string(index) ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let base = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    public func string(_ index: Int) -> String? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let text = sqlite3_column_text(handle, column) else { return nil }
        // The length is known: no strlen, and the bytes are validated once.
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The UTF-8 bytes of a text column without copying them (nil for NULL); valid only
    /// inside `body`, for output that streams rows.
    public func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let text = sqlite3_column_text(handle, column) else {
            return try body(nil)
        }
        return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))))
    }

    public func int64(_ index: Int) -> Int64? {
        guard sqlite3_column_type(handle, Int32(index)) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(handle, Int32(index))
    }

    public func int(_ index: Int) -> Int? { int64(index).map { Int($0) } }

    public func double(_ index: Int) -> Double? {
        guard sqlite3_column_type(handle, Int32(index)) != SQLITE_NULL else { return nil }
        return sqlite3_column_double(handle, Int32(index))
    }

    public func bool(_ index: Int) -> Bool { sqlite3_column_int64(handle, Int32(index)) != 0 }
}
