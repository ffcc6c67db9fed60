import CSQLite
import Foundation
import Testing

@testable import BitlinkCore

/// The store on real temporary files: WAL, migrations, refusals, locking.
struct StoreTests {
    @Test func newDatabaseUsesWALAndLatestSchema() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(path: directory.file("b.db"), mode: .write)
        #expect(try store.connection.scalar("PRAGMA journal_mode") == .text("wal"))
        #expect(try store.schemaVersion() == Schema.latestVersion)
        #expect(try store.connection.scalar("PRAGMA foreign_keys") == .integer(1))
        let tables = try store.connection.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) ?? "" }
        #expect(Schema.tables.isSubset(of: Set(tables)))
    }

    @Test func newFilesArePrivate() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("nested/deeper/b.db")
        _ = try Store.open(path: path, mode: .write)
        let fileMode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        let directoryMode = try FileManager.default.attributesOfItem(atPath: directory.file("nested/deeper"))[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(directoryMode == 0o700)
    }

    @Test func readModeNeverCreatesAFile() throws {
        let directory = TemporaryDirectory()
        #expect(throws: BitlinkError.self) { try Store.open(path: directory.file("missing.db"), mode: .read) }
        do {
            _ = try Store.open(path: directory.file("missing.db"), mode: .read)
        } catch let error as BitlinkError {
            #expect(error.code == .databaseMissing)
            #expect(error.hint != nil)
        }
        #expect(!directory.exists("missing.db"))
        #expect(!directory.exists("missing.db-wal"))
    }

    @Test func newerSchemaIsRefusedAndLeftAlone() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("b.db")
        _ = try Store.open(path: path, mode: .write)
        let raw = try SQLiteConnection(path: path, create: false)
        try raw.execute("PRAGMA user_version = 99")
        do {
            _ = try Store.open(path: path, mode: .write)
            Issue.record("a newer schema must be refused")
        } catch let error as BitlinkError {
            #expect(error.code == .databaseVersion)
            #expect(error.message.contains("schema 99 is newer than this bitlink (\(Schema.latestVersion))"))
        }
        #expect(try raw.scalar("PRAGMA user_version") == .integer(99))
    }

    @Test func foreignSQLiteDatabaseIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.db")
        let raw = try SQLiteConnection(path: path, create: true)
        try raw.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)")
        do {
            _ = try Store.open(path: path, mode: .write)
            Issue.record("a foreign database must be refused")
        } catch let error as BitlinkError {
            #expect(error.code == .databaseCorrupt)
            #expect(error.message.contains("not a bitlink database"))
        }
        // Untouched: no bitlink tables were added.
        let tables = try raw.query("SELECT name FROM sqlite_master WHERE type = 'table'") { $0.string(0) ?? "" }
        #expect(tables == ["recipes"])
    }

    @Test func fileThatIsNotSQLiteIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("notes.txt")
        try String(repeating: "not a database\n", count: 200).write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Store.open(path: path, mode: .read)
            Issue.record("a text file must be refused")
        } catch let error as BitlinkError {
            #expect(error.code == .databaseCorrupt)
        }
    }

    @Test func reopeningKeepsDataAndVersion() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("b.db")
        do {
            let store = try Store.open(path: path, mode: .write)
            try store.write { try store.insertMiner(Miner(name: "rig1", family: .antminer, host: "10.0.0.5", createdAt: 1)) }
        }
        let again = try Store.open(path: path, mode: .read)
        #expect(try again.miners().map(\.name) == ["rig1"])
        #expect(try again.schemaVersion() == Schema.latestVersion)
    }

    @Test func duplicateNameOrAddressIsRefused() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(path: directory.file("b.db"), mode: .write)
        try store.write { try store.insertMiner(Miner(name: "rig1", host: "10.0.0.5", createdAt: 1)) }
        #expect(throws: BitlinkError.self) {
            try store.write { try store.insertMiner(Miner(name: "rig1", host: "10.0.0.6", createdAt: 1)) }
        }
        #expect(throws: BitlinkError.self) {
            try store.write { try store.insertMiner(Miner(name: "rig2", host: "10.0.0.5", createdAt: 1)) }
        }
        #expect(try store.miners().count == 1)
    }

    @Test func aFailedWriteRollsBackEverything() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(path: directory.file("b.db"), mode: .write)
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write {
                try store.insertMiner(Miner(name: "rig1", host: "10.0.0.5", createdAt: 1))
                throw Boom()
            }
        }
        #expect(try store.miners().isEmpty)
    }

    @Test func minerLookupByIdNameOrAddress() throws {
        let directory = TemporaryDirectory()
        let store = try Store.open(path: directory.file("b.db"), mode: .write)
        let rig = try store.write { try store.insertMiner(Miner(name: "rig1", host: "10.0.0.5", createdAt: 1)) }
        #expect(try store.miner(matching: String(rig.id))?.name == "rig1")
        #expect(try store.miner(matching: "rig1")?.id == rig.id)
        #expect(try store.miner(matching: "10.0.0.5")?.id == rig.id)
        #expect(try store.miner(matching: "10.0.0.6") == nil)
    }

    /// A second writer waits for the first one's lock (busy timeout) instead of failing.
    @Test func concurrentWritersBothSucceed() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("b.db")
        _ = try Store.open(path: path, mode: .write)
        let holder = try Store.open(path: path, mode: .write)
        try holder.connection.execute("BEGIN IMMEDIATE")
        try holder.insertMiner(Miner(name: "first", host: "10.0.0.1", createdAt: 1))
        let released = DispatchSemaphore(value: 0)
        let box = UncheckedBox(holder)
        let thread = Thread {
            // Hold the write lock briefly while the other connection tries to write.
            usleep(300_000)
            try? box.value.connection.execute("COMMIT")
            released.signal()
        }
        thread.start()
        let second = try Store.open(path: path, mode: .write)
        try second.write { try second.insertMiner(Miner(name: "second", host: "10.0.0.2", createdAt: 1)) }
        released.wait()
        #expect(try second.miners().map(\.name).sorted() == ["first", "second"])
    }

    /// With the lock held past the busy timeout the failure is "busy" (exit 75), not a crash.
    @Test func lockHeldPastTimeoutIsBusy() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("b.db")
        let holder = try Store.open(path: path, mode: .write)
        try holder.connection.execute("BEGIN IMMEDIATE")
        defer { try? holder.connection.execute("ROLLBACK") }
        let second = try Store.open(path: path, mode: .write, busyTimeoutMilliseconds: 50)
        do {
            try second.write { try second.insertMiner(Miner(name: "x", host: "10.0.0.9", createdAt: 1)) }
            Issue.record("expected busy")
        } catch let error as BitlinkError {
            #expect(error.code == .databaseBusy)
        }
    }

    @Test func statementRefusesASecondStatement() throws {
        let connection = try SQLiteConnection(path: ":memory:", create: true)
        #expect(throws: SQLiteError.self) { _ = try connection.prepare("SELECT 1; SELECT 2") }
    }

    @Test func statementChecksArgumentCount() throws {
        let connection = try SQLiteConnection(path: ":memory:", create: true)
        let statement = try connection.prepare("SELECT ? + ?")
        #expect(throws: SQLiteError.self) { try statement.bind([.integer(1)]) }
        try statement.bind([.integer(1), .integer(2)])
        #expect(try statement.step())
        #expect(statement.row[0] == .integer(3))
    }

    @Test func valuesRoundTrip() throws {
        let connection = try SQLiteConnection(path: ":memory:", create: true)
        try connection.execute("CREATE TABLE t (a, b, c, d, e)")
        let values: [SQLValue] = [.null, .integer(-42), .real(1.5), .text("héllo"), .blob([0, 1, 255])]
        try connection.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", values)
        let row = try connection.query("SELECT a, b, c, d, e FROM t") { row in (0..<5).map { row[$0] } }
        #expect(row == [values])
    }
}
