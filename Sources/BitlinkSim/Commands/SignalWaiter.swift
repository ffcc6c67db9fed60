import Glibc

/// SIGINT/SIGTERM handling without a handler: the signals are blocked in every thread
/// (call `block()` before starting any) and collected with `sigtimedwait`.
enum SignalWaiter {
    static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    /// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts.
    static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits up to `seconds` (forever when nil) for SIGINT or SIGTERM; returns the signal or nil.
    static func wait(seconds: Double?) -> Int32? {
        var set = signalSet()
        let deadline = seconds.map { SimClock.monotonic() + $0 }
        while true {
            let slice = deadline.map { max(0, min(1, $0 - SimClock.monotonic())) } ?? 1
            var timeout = timespec(tv_sec: Int(slice), tv_nsec: Int((slice - slice.rounded(.down)) * 1e9))
            let signal = sigtimedwait(&set, nil, &timeout)
            if signal > 0 { return signal }
            if let deadline, SimClock.monotonic() >= deadline { return nil }
        }
    }
}
