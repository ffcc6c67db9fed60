/// One accepted connection and where it is in its exchange.
final class Connection {
    enum State {
        /// Waiting for a complete request.
        case reading
        /// Sending `output`.
        case writing
        /// Sending `output` at one byte per sim second, counted from `start`.
        case dripping(start: Double)
        /// Request answered (or never to be): keep reading until the peer closes.
        case holding
    }

    /// What happens once `output` is sent.
    enum After {
        case close
        /// Close with SO_LINGER 0: the peer sees a reset.
        case reset
        /// Leave the socket open (keep-open fault, hold).
        case keepOpen
        /// Read the next request (Whatsminer v3 keeps its connection).
        case readNext
    }

    let fd: Int32
    unowned let miner: MinerState
    let service: ServicePort
    let port: UInt16
    var state: State = .reading
    var after: After = .close
    var input: [UInt8] = []
    var output: [UInt8] = []
    var sent = 0
    /// Bytes of an oversized reply still to generate after `output` (streamed in chunks).
    var streamRemaining = 0
    /// Bytes sent once the stream is done (closing the JSON, NUL).
    var streamTail: [UInt8] = []
    var watchingWrite = false

    init(fd: Int32, miner: MinerState, service: ServicePort, port: UInt16) {
        self.fd = fd
        self.miner = miner
        self.service = service
        self.port = port
    }
}
