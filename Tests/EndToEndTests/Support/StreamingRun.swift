import Foundation
import Glibc
import Testing

/// A `bitlink` process whose stdout is read line by line while it runs, so a test can act
/// between its records (advance the simulator's clock after a round, send SIGINT after the
/// first miner). Every wait is bounded; the process is killed if it outlives its test.
///
/// Spawned with `posix_spawn`, an empty signal mask and default SIGINT/SIGTERM handling, as
/// a shell starts a command: the test runner's threads block signals, and a child started
/// with Foundation's `Process` inherits that mask, so it would never see the SIGINT a test sends.
final class StreamingRun: @unchecked Sendable {
    let pid: pid_t
    let arguments: [String]
    private let condition = NSCondition()
    private var buffer: [UInt8] = []
    private var lines: [String] = []
    private var consumed = 0
    private var outClosed = false
    private var errData: [UInt8] = []
    private var errClosed = false
    private var exitStatus: Int32?

    init(_ sandbox: Sandbox, _ arguments: [String]) throws {
        self.arguments = arguments
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        try #require(pipe(&outPipe) == 0 && pipe(&errPipe) == 0)
        // Close-on-exec, so children other tests spawn meanwhile do not hold the pipes open.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([Sandbox.bitlinkPath] + arguments).map { strdup($0) } + [nil]
        let envp = sandbox.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, Sandbox.bitlinkPath, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL)
        }
        pid = child

        let outFD = outPipe[0]
        let errFD = errPipe[0]
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(outFD, &chunk, chunk.count)
                if n < 0, errno == EINTR { continue }
                condition.lock()
                if n <= 0 {
                    if !buffer.isEmpty { lines.append(String(decoding: buffer, as: UTF8.self)) }
                    buffer.removeAll()
                    outClosed = true
                    condition.broadcast()
                    condition.unlock()
                    close(outFD)
                    return
                }
                buffer.append(contentsOf: chunk[0..<n])
                while let newline = buffer.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: buffer[..<newline], as: UTF8.self))
                    buffer.removeSubrange(...newline)
                }
                condition.broadcast()
                condition.unlock()
            }
        }
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65536)
            var data: [UInt8] = []
            while true {
                let n = read(errFD, &chunk, chunk.count)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                data.append(contentsOf: chunk[0..<n])
            }
            close(errFD)
            condition.lock()
            errData = data
            errClosed = true
            condition.broadcast()
            condition.unlock()
        }
    }

    deinit {
        if reap(block: false) == nil {
            kill(pid, SIGKILL)
            _ = reap(block: true)
        }
    }

    /// The exit status once the child ended (128 + n for a signal), nil while it runs.
    private func reap(block: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, block ? 0 : WNOHANG) } while result < 0 && errno == EINTR
        guard result == pid else { return nil }
        let signal = status & 0x7F
        exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return exitStatus
    }

    /// Waits for the next stdout line (after the ones already returned) that satisfies
    /// `predicate`, returning it; nil when stdout closed or `timeout` seconds passed first.
    func next(timeout: Double = 30, where predicate: (String) -> Bool = { _ in true }) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while true {
            while consumed < lines.count {
                let line = lines[consumed]
                consumed += 1
                if predicate(line) { return line }
            }
            if outClosed { return nil }
            if !condition.wait(until: deadline) { return nil }
        }
    }

    /// Sends a signal to the process.
    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to end (killing it past `timeout`) and returns everything it
    /// printed, including the lines already seen through `next`.
    func finish(timeout: Double = 60) -> RunResult {
        let deadline = Date().addingTimeInterval(timeout)
        while reap(block: false) == nil, Date() < deadline { usleep(5_000) }
        if reap(block: false) == nil {
            kill(pid, SIGKILL)
            Issue.record("bitlink \(arguments) did not finish within \(timeout) s")
        }
        let status = reap(block: true) ?? -1
        condition.lock()
        while !(outClosed && errClosed) {
            if !condition.wait(until: Date().addingTimeInterval(10)) { break }
        }
        let stdout = lines.map { $0 + "\n" }.joined()
        let stderr = String(decoding: errData, as: UTF8.self)
        condition.unlock()
        return RunResult(stdout: stdout, stderr: stderr, status: status)
    }
}
