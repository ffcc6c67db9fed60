import Foundation
import Testing

/// The completion scripts, run in their own shells against the built `bitlink` and a
/// temporary database: bash through `_bitlink` with `COMP_WORDS`, fish through
/// `complete -C`, zsh through a real completion on a pseudo-terminal (zsh/zpty) with
/// `compadd` wrapped to record the candidates. A shell that is not installed is
/// skipped with a printed reason.
struct CompletionTests {
    enum Shell: String, CaseIterable, Sendable {
        case bash, zsh, fish

        var script: String {
            switch self {
            case .bash: return "bitlink.bash"
            case .zsh: return "_bitlink"
            case .fish: return "bitlink.fish"
            }
        }
    }

    /// `completions/` of this checkout: this file is `Tests/EndToEndTests/CompletionTests.swift`.
    static let completions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("completions").path

    static func find(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    }

    /// A sandbox with two stored miners and a wallet, and a second database at
    /// `other.db` holding one miner, for `--db` on the command line.
    static func fleet() throws -> Sandbox {
        let sandbox = Sandbox()
        try #require(try sandbox.bitlink(["miners", "add", "10.0.0.5", "--name", "rig1"]).status == 0)
        try #require(try sandbox.bitlink(["miners", "add", "10.0.0.6", "--name", "bitaxe-2"]).status == 0)
        try #require(try sandbox.bitlink(["wallets", "add", "acme"]).status == 0)
        try #require(try sandbox.bitlink(["miners", "add", "10.0.0.7", "--name", "far-away", "--db", sandbox.directory + "/other.db"]).status == 0)
        return sandbox
    }

    /// Drives bash's `_bitlink` as readline would: the words of the line, the last one
    /// being completed.
    static let bashDriver = #"""
        source "$1"; shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _bitlink bitlink "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf '%s\n' "${COMPREPLY[@]}"
        """#

    /// capture.zsh DIR FILE LINE: starts an interactive `zsh -f` on a pseudo-terminal with
    /// DIR on fpath and compinit loaded, wraps compadd so that every candidate offered is
    /// appended to FILE, types LINE and a TAB, and waits for the completion to finish.
    static let zshDriver = #"""
        emulate -L zsh
        zmodload zsh/zpty || exit 3
        local dir=$1 capture=$2 line=$3
        : >| $capture
        zpty capture zsh -f -i || exit 3
        zpty -w capture "PS1= PROMPT= RPROMPT="
        zpty -w capture "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
        zpty -w capture "bindkey '^I' complete-word; __capture_file=${(q)capture}"
        # Calls that only compute (-O, -A, -D) pass through; real additions are recorded.
        zpty -w capture 'compadd() {
          local -i end=${argv[(i)--]}
          if [[ -n ${(M)argv[1,end-1]:#-[[:alpha:]]#[OAD]*} ]]; then builtin compadd "$@"; return; fi
          local -a __hits
          builtin compadd -O __hits "$@"
          (( $#__hits )) && print -rl -- $__hits >> $__capture_file
          builtin compadd "$@"
        }'
        zpty -w capture '__capture_done() { print -r -- "<<done>>" >> $__capture_file }'
        zpty -w capture 'zstyle ":completion:*" menu no; comppostfuncs=(__capture_done)'
        zpty -w -n capture "$line"$'\t'
        local -i tries
        for (( tries = 0; tries < 400; tries++ )); do
          grep -q '<<done>>' $capture 2>/dev/null && break
          sleep 0.05
        done
        zpty -d capture
        grep -q '<<done>>' $capture || { print -u2 "completion of '$line' did not finish"; exit 2 }
        grep -v '<<done>>' $capture || true
        """#

    /// The candidates `shell` offers for `words` (the last word is the one being
    /// completed; "" completes a new word). nil when the shell is not installed.
    static func complete(_ shell: Shell, _ words: [String], in sandbox: Sandbox, environment extra: [String: String] = [:]) throws
        -> [String]?
    {
        guard let executable = find(shell.rawValue) else {
            print("skipped: \(shell.rawValue) is not installed; \(shell.script) was not exercised")
            return nil
        }
        var environment = sandbox.environment
        environment["PATH"] = Sandbox.binDirectory + ":/usr/bin:/bin"
        for (key, value) in extra { environment[key] = value }
        let script = completions + "/" + shell.script
        let line = words.joined(separator: " ")
        let result: RunResult
        switch shell {
        case .bash:
            result = try Sandbox.run(executable, ["--norc", "--noprofile", "-c", bashDriver, "bash", script] + words, environment: environment)
        case .fish:
            result = try Sandbox.run(
                executable, ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", script, line], environment: environment)
        case .zsh:
            let driver = sandbox.directory + "/capture.zsh"
            try zshDriver.write(toFile: driver, atomically: true, encoding: .utf8)
            let capture = sandbox.directory + "/capture-\(UUID().uuidString).txt"
            result = try Sandbox.run(executable, ["-f", driver, completions, capture, line], environment: environment, timeout: 30)
        }
        #expect(result.status == 0, "\(shell.rawValue) completing '\(line)': \(result)")
        // fish prints `candidate<TAB>description`.
        return Array(Set(result.lines.map { String($0.split(separator: "\t", omittingEmptySubsequences: false)[0]) })).sorted()
    }

    @Test(arguments: Shell.allCases)
    func commandsAndVerbs(shell: Shell) throws {
        let sandbox = try Self.fleet()
        guard let mi = try Self.complete(shell, ["bitlink", "mi"], in: sandbox) else { return }
        #expect(mi == ["miner-types", "miners"])

        let top = try #require(try Self.complete(shell, ["bitlink", ""], in: sandbox))
        #expect(Set(top).isSuperset(of: ["scan", "miners", "info", "link-wallet", "shares", "watch", "history", "wallets", "miner-types", "help"]))
        #expect(!top.contains(where: { $0.hasPrefix("__") }), "hidden commands offered: \(top)")

        let verbs = try #require(try Self.complete(shell, ["bitlink", "miners", ""], in: sandbox))
        #expect(Set(verbs).isSuperset(of: ["list", "add", "rm", "show", "set", "configs"]))
        #expect(Set(verbs).isSubset(of: ["list", "ls", "add", "rm", "remove", "show", "set", "configs"]), "\(verbs)")

        // Global options before the command do not hide the commands.
        let afterGlobal = try #require(try Self.complete(shell, ["bitlink", "--timeout", "3s", "sh"], in: sandbox))
        #expect(afterGlobal == ["shares"])

        let help = try #require(try Self.complete(shell, ["bitlink", "help", "wallets", ""], in: sandbox))
        #expect(Set(help).isSuperset(of: ["add", "list", "rm"]))
    }

    @Test(arguments: Shell.allCases)
    func optionsAndTheirValues(shell: Shell) throws {
        let sandbox = try Self.fleet()
        guard let options = try Self.complete(shell, ["bitlink", "miners", "list", "--t"], in: sandbox) else { return }
        #expect(options == ["--timeout", "--type"])

        let families = try Self.complete(shell, ["bitlink", "miners", "list", "--type", ""], in: sandbox)
        let known = try sandbox.bitlink(["__complete", "types"]).lines.sorted()
        #expect(!known.isEmpty)
        #expect(families == known)

        #expect(try Self.complete(shell, ["bitlink", "miners", "list", "--status", ""], in: sandbox) == ["active", "dead", "unknown", "warning"])
        #expect(try Self.complete(shell, ["bitlink", "shares", "stats", "--by", ""], in: sandbox) == ["miner", "wallet", "worker"])
        #expect(try Self.complete(shell, ["bitlink", "history", "rig1", "--field", ""], in: sandbox) == ["hashrate", "power", "temp"])
        #expect(try Self.complete(shell, ["bitlink", "--color", ""], in: sandbox) == ["always", "auto", "never"])

        // watch: --once and --count exclude each other in zsh and fish; bash offers both.
        let watch = try #require(try Self.complete(shell, ["bitlink", "watch", "--e"], in: sandbox))
        #expect(watch == ["--exec", "--exec-limit"])
    }

    @Test(arguments: Shell.allCases)
    func storedMinerAndWalletNames(shell: Shell) throws {
        let sandbox = try Self.fleet()
        guard let show = try Self.complete(shell, ["bitlink", "miners", "show", ""], in: sandbox) else { return }
        #expect(show == ["bitaxe-2", "rig1"])
        #expect(try Self.complete(shell, ["bitlink", "miners", "rm", "r"], in: sandbox) == ["rig1"])
        #expect(try Self.complete(shell, ["bitlink", "info", ""], in: sandbox) == ["bitaxe-2", "rig1"])
        #expect(try Self.complete(shell, ["bitlink", "shares", "list", "--miner", ""], in: sandbox) == ["bitaxe-2", "rig1"])
        #expect(try Self.complete(shell, ["bitlink", "shares", "log", "--wallet", ""], in: sandbox) == ["acme"])
        #expect(try Self.complete(shell, ["bitlink", "wallets", "rm", ""], in: sandbox) == ["acme"])
        // link-wallet MINER WALLET: the wallet comes second.
        let link = try #require(try Self.complete(shell, ["bitlink", "link-wallet", "rig1", ""], in: sandbox))
        #expect(link.contains("acme"))
    }

    @Test(arguments: Shell.allCases)
    func databaseGivenOnTheLine(shell: Shell) throws {
        let sandbox = try Self.fleet()
        let other = sandbox.directory + "/other.db"
        guard let before = try Self.complete(shell, ["bitlink", "--db", other, "miners", "show", ""], in: sandbox) else { return }
        #expect(before == ["far-away"])
        #expect(try Self.complete(shell, ["bitlink", "miners", "show", "--db", other, ""], in: sandbox) == ["far-away"])
    }

    @Test(arguments: Shell.allCases)
    func missingDatabaseOffersNothingAndCreatesNothing(shell: Shell) throws {
        let sandbox = Sandbox()
        guard let names = try Self.complete(shell, ["bitlink", "miners", "show", ""], in: sandbox) else { return }
        #expect(names.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: sandbox.database), "completion created \(sandbox.database)")
        #expect(!sandbox.exists("data"))
    }

    /// bash splits `--name=value` at `=` (COMP_WORDBREAKS); the value is still completed.
    @Test func bashCompletesAfterEquals() throws {
        let sandbox = try Self.fleet()
        guard let color = try Self.complete(.bash, ["bitlink", "--color", "=", "al"], in: sandbox) else { return }
        #expect(color == ["always"])
        #expect(try Self.complete(.bash, ["bitlink", "miners", "list", "--type", "=", ""], in: sandbox)?.contains("antminer") == true)
        let other = sandbox.directory + "/other.db"
        #expect(try Self.complete(.bash, ["bitlink", "--db", "=", other, "miners", "show", ""], in: sandbox) == ["far-away"])
    }
}
