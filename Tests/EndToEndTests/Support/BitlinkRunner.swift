import Foundation
import Testing

/// What one run of a built binary produced.
struct RunResult: CustomStringConvertible {
    var stdout: String
    var stderr: String
    var status: Int32

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }

    /// Non-empty stdout lines.
    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// stdout parsed as JSON (arrays and objects).
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }
}

/// Runs the built `bitlink` and `bitlink-sim` binaries with a controlled environment:
/// a temporary HOME and database, `NO_COLOR=1`, `COLUMNS=80`, no inherited `BITLINK_*`.
final class Sandbox: @unchecked Sendable {
    let directory: String
    let database: String

    init() {
        var template = Array((NSTemporaryDirectory() + "bitlink-e2e-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(created != nil, "mkdtemp failed")
        directory = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        database = directory + "/data/bitlink.db"
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Where the binaries are: next to the test bundle, in the build directory.
    static let binDirectory: String = {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var directory = (executable as NSString).deletingLastPathComponent
        // The test binary may sit inside an .xctest bundle directory.
        while !FileManager.default.fileExists(atPath: directory + "/bitlink"), directory != "/" {
            directory = (directory as NSString).deletingLastPathComponent
        }
        return directory
    }()

    static var bitlinkPath: String { binDirectory + "/bitlink" }
    static var simPath: String { binDirectory + "/bitlink-sim" }

    var environment: [String: String] {
        [
            "PATH": "/usr/bin:/bin",
            "HOME": directory,
            "BITLINK_DB": database,
            "NO_COLOR": "1",
            "COLUMNS": "80",
            "LANG": "C.UTF-8",
        ]
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: directory + "/" + relative) }

    /// Runs `bitlink` with `arguments`. `tty` forces terminal rendering on stdout.
    @discardableResult
    func bitlink(
        _ arguments: [String], stdin: String? = nil, tty: Bool = false, environment extra: [String: String] = [:],
        removing: [String] = [], timeout: Double = 60
    ) throws -> RunResult {
        var environment = self.environment
        if tty { environment["BITLINK_FORCE_TTY"] = "1" }
        for (key, value) in extra { environment[key] = value }
        for key in removing { environment[key] = nil }
        return try Sandbox.run(Sandbox.bitlinkPath, arguments, environment: environment, stdin: stdin, timeout: timeout)
    }

    /// Runs an executable and collects its output. Bounded by `timeout` seconds: the
    /// process is killed past it and the test fails, so a hang cannot stall CI.
    static func run(
        _ path: String, _ arguments: [String], environment: [String: String], stdin: String? = nil,
        stdoutHandle: FileHandle? = nil, timeout: Double = 60
    ) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = stdoutHandle ?? outPipe
        process.standardError = errPipe
        let inPipe = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let stdin {
            inPipe.fileHandleForWriting.write(Data(stdin.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        // Read both pipes on other threads so a full pipe never blocks the child.
        let collected = OutputCollector()
        let group = DispatchGroup()
        if stdoutHandle == nil {
            group.enter()
            DispatchQueue.global().async {
                collected.setOut(outPipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        group.enter()
        DispatchQueue.global().async {
            collected.setErr(errPipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            Issue.record("\(path) \(arguments) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        group.wait()
        return RunResult(stdout: collected.out, stderr: collected.err, status: process.terminationStatus)
    }
}

private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()
    func setOut(_ data: Data) { lock.withLock { outData = data } }
    func setErr(_ data: Data) { lock.withLock { errData = data } }
    var out: String { lock.withLock { String(decoding: outData, as: UTF8.self) } }
    var err: String { lock.withLock { String(decoding: errData, as: UTF8.self) } }
}
