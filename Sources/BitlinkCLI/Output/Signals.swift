import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM for the long-running commands (`scan`, `watch`): the handler only
/// writes to the engine's stop descriptor (async-signal-safe) and records which signal
/// came, so the command ends cleanly, prints its partial summary, and exits 130 or 143.
enum Signals {
    nonisolated(unsafe) static var stopDescriptor: Int32 = -1
    nonisolated(unsafe) static var received: Int32 = 0

    /// Routes SIGINT and SIGTERM to `engine.stop()` from now on.
    static func stopOnInterrupt(_ engine: IOEngine) {
        stopDescriptor = engine.stopHandle.fileDescriptor
        received = 0
        let handler: @convention(c) (Int32) -> Void = { signal in
            Signals.received = signal
            if Signals.stopDescriptor >= 0 { StopHandle.requestStop(fileDescriptor: Signals.stopDescriptor) }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        // A parent may have started bitlink with these blocked (test runners do): Ctrl-C
        // must still work.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The exit status for the signal that stopped the command, if one did.
    static var exitStatus: ExitStatus? {
        switch received {
        case SIGINT: return .interrupted
        case SIGTERM: return .terminated
        default: return nil
        }
    }
}
