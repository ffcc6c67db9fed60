import BitlinkCore

#if canImport(Glibc)
import Glibc
#endif

/// Turns failures into stderr text and exit statuses, in one place:
/// `bitlink: <what failed>: <why>`, then `hint:` when a fix is known.
struct Reporter {
    let stderr: OutputStream
    let table: CommandTable
    let width: Int

    func report(_ error: UsageError) -> ExitStatus {
        var text = "bitlink: \(error.message)\n"
        if let suggestion = error.suggestion { text += suggestion + "\n" }
        if error.fromEnvironment {
            write(text)
            return .config
        }
        if let path = error.commandPath {
            if let spec = table.allCommands.first(where: { $0.path == path }) {
                text += "usage: \(spec.synopsis)\n"
                text += "See 'bitlink \(spec.name) --help'.\n"
            } else if path == ["help"] {
                text += "usage: bitlink help [COMMAND]\n"
            } else {
                text += "See 'bitlink help \(path.joined(separator: " "))'.\n"
            }
        } else {
            text += "See 'bitlink --help'.\n"
        }
        write(text)
        return .usage
    }

    func report(_ error: BitlinkError) -> ExitStatus {
        var text = "bitlink: \(error.message)\n"
        if let hint = error.hint { text += "hint: \(hint)\n" }
        write(text)
        return ExitStatus(error.code)
    }

    func reportOutputFailure(_ error: OutputFailed) -> ExitStatus {
        write("bitlink: write error on standard output: \(String(cString: strerror(error.errno)))\n")
        return .ioError
    }

    func reportInternal(_ error: Error) -> ExitStatus {
        write("bitlink: internal error: \(error)\nhint: this is a bug; please report it with the command you ran\n")
        return .software
    }

    private func write(_ text: String) {
        try? stderr.write(text)
        try? stderr.flush()
    }
}
