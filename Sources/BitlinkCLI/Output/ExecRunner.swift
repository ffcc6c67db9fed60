import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs `watch --exec` commands: `/bin/sh -c CMD` with the event as JSON on stdin and
/// `BITLINK_*` variables. Children run in the background so a slow script never delays a
/// round; they are reaped between rounds and their failures reported, never fatal.
final class ExecRunner {
    let command: String
    let environment: [String: String]
    private var children: [(pid: pid_t, miner: String)] = []

    init(command: String, environment: [String: String]) {
        self.command = command
        self.environment = environment
    }

    /// Starts the command for one event. Returns an error message when it cannot start.
    func run(event: JSONValue, variables: [String: String]) -> String? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return "cannot create a pipe: \(String(cString: strerror(errno)))" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var merged = environment
        for (key, value) in variables { merged[key] = value }
        let argv = ["/bin/sh", "-c", command]
        let envp = merged.map { "\($0.key)=\($0.value)" }
        // bitlink ignores SIGPIPE and may run with signals blocked; the script gets the
        // default dispositions and an empty mask, as if started from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let status = withCStrings(argv) { argvPointers in
            withCStrings(envp) { envPointers in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, argvPointers, envPointers)
            }
        }
        close(fds[0])
        guard status == 0 else {
            close(fds[1])
            return "cannot run /bin/sh: \(String(cString: strerror(status)))"
        }
        // The event is a few hundred bytes: it fits the pipe buffer, so this never blocks.
        var bytes: [UInt8] = []
        event.encode(into: &bytes)
        bytes.append(10)
        _ = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
        children.append((pid, variables["BITLINK_MINER"] ?? ""))
        return nil
    }

    /// Collects finished children; returns a message for each that failed.
    func reap(wait: Bool = false) -> [String] {
        var failures: [String] = []
        children = children.filter { child in
            var status: Int32 = 0
            let result = waitpid(child.pid, &status, wait ? 0 : WNOHANG)
            guard result == child.pid else { return result == 0 }
            let exited = status & 0x7F == 0
            let code = (status >> 8) & 0xFF
            if !exited {
                failures.append("--exec for \(child.miner) was killed by signal \(status & 0x7F)")
            } else if code != 0 {
                failures.append("--exec for \(child.miner) exited with status \(code)")
            }
            return false
        }
        return failures
    }
}

/// Calls `body` with a NULL-terminated C array of the strings.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
