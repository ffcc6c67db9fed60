/// A network scan: every target probed on the miner ports, identified and read where
/// something answered, each host within its own deadline, in shuffled order, a bounded
/// number of hosts at a time. Runs on the calling thread through the IO engine and
/// reports events as they happen; never prints.
public final class Scanner {
    public struct Options: Sendable {
        public var targets: TargetSpec
        public var ports: MinerPorts
        public var timing: MinerReader.Timing
        /// Hosts read at once (each uses up to two connections).
        public var hostConcurrency: Int
        /// Order of the shuffled walk.
        public var seed: UInt64
        /// Seconds between progress events (0: none).
        public var progressInterval: Double

        public init(
            targets: TargetSpec, ports: MinerPorts = .standard, timing: MinerReader.Timing, hostConcurrency: Int, seed: UInt64,
            progressInterval: Double = 1
        ) {
            self.targets = targets
            self.ports = ports
            self.timing = timing
            self.hostConcurrency = hostConcurrency
            self.seed = seed
            self.progressInterval = progressInterval
        }
    }

    public enum Event {
        /// A miner was identified and read.
        case found(MinerReader.Outcome, MinerReader.Reading)
        /// Something answered but could not be read (hung after accepting, malformed
        /// reply, unknown device).
        case failed(MinerReader.Outcome, ReadError)
        case progress(Progress)
    }

    public struct Progress: Sendable, Equatable {
        public var done: Int
        public var total: Int
        public var found: Int
        public var elapsed: Duration
    }

    public struct Summary: Sendable, Equatable {
        public var targets: Int
        public var done: Int
        public var found: Int
        /// Hosts with an open port that no adapter recognised.
        public var openUnknown: Int
        /// Hosts that answered but failed to be read (timeouts, malformed replies).
        public var errors: Int
        public var connections: Int
        public var elapsed: Duration
        public var interrupted: Bool
    }

    public let engine: IOEngine
    public let reader: MinerReader

    public init(engine: IOEngine, reader: MinerReader) {
        self.engine = engine
        self.reader = reader
    }

    /// Runs the scan to completion, or until the engine is stopped (SIGINT).
    public func run(_ options: Options, onEvent: @escaping (Event) -> Void) -> Summary {
        let started = monotonicNanoseconds()
        var walk = options.targets.shuffled(seed: options.seed)
        var done = 0
        var found = 0
        var openUnknown = 0
        var errors = 0
        var inFlight = 0
        var cancelled = 0
        var finished = false
        let total = options.targets.count
        func elapsed() -> Duration { .nanoseconds(Int64(monotonicNanoseconds() &- started)) }

        func startNext() {
            while inFlight < options.hostConcurrency, let address = walk.next() {
                inFlight += 1
                reader.identifyAndRead(address, ports: options.ports) { outcome in
                    inFlight -= 1
                    // A host cut short by SIGINT was not scanned: it does not count as done.
                    if outcome.cancelled { cancelled += 1 } else { done += 1 }
                    switch outcome.result {
                    case .success(let reading):
                        found += 1
                        onEvent(.found(outcome, reading))
                    case .failure(let error):
                        // Nothing listening, or a silent address: not an error, just no miner.
                        if outcome.answered, !outcome.cancelled {
                            if case .unrecognized = error { openUnknown += 1 } else { errors += 1 }
                            onEvent(.failed(outcome, error))
                        }
                    }
                    if done == total {
                        // Done: end the run now rather than wait for the progress timer.
                        finished = true
                        self.engine.stop()
                    }
                    startNext()
                }
            }
        }

        func scheduleProgress() {
            guard options.progressInterval > 0 else { return }
            engine.schedule(after: .milliseconds(Int64(options.progressInterval * 1000))) {
                guard !finished else { return }
                onEvent(.progress(Progress(done: done, total: total, found: found, elapsed: elapsed())))
                scheduleProgress()
            }
        }

        let connectionsBefore = engine.counters.connectionsEstablished
        if total == 0 { return Summary(targets: 0, done: 0, found: 0, openUnknown: 0, errors: 0, connections: 0, elapsed: elapsed(), interrupted: false) }
        startNext()
        scheduleProgress()
        engine.run()
        let interrupted = done < total || cancelled > 0
        return Summary(
            targets: total, done: done, found: found, openUnknown: openUnknown, errors: errors,
            connections: engine.counters.connectionsEstablished - connectionsBefore, elapsed: elapsed(), interrupted: interrupted)
    }
}
