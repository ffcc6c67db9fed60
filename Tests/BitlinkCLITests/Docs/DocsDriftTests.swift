import BitlinkCore
import Foundation
import Testing

@testable import BitlinkCLI

/// The man pages and completion scripts are written by hand; these tests keep them in
/// step with the command table (the ripgrep `ci/test-complete` idea). A check whose tool
/// is not installed is skipped with a printed reason.
struct DocsDriftTests {
    static let commandNames = Docs.commands.map(\.name)
    static let pageFiles = ["bitlink.1"] + Set(Docs.commands.map { CommandTable.standard.manPage(for: $0) + ".1" }).sorted()

    // MARK: Man pages

    @Test func everyCommandFamilyHasAPageAndNoPageIsStray() throws {
        let present = Set(try Docs.manPageFiles())
        for file in Self.pageFiles {
            #expect(present.contains(file), "man/\(file) is missing")
        }
        for file in present.subtracting(Self.pageFiles) {
            Issue.record("man/\(file) documents no command of the table")
        }
    }

    @Test(arguments: pageFiles)
    func pageHeaderAndSections(file: String) throws {
        let page = try ManPage(file: file)
        let name = String(file.dropLast(2))
        #expect(page.text.contains("\n.Dt \(name.uppercased()) 1\n"), "\(file): .Dt should be \(name.uppercased()) 1")
        #expect(page.section("NAME").hasPrefix(".Nm \(name)\n"), "\(file): NAME should be .Nm \(name)")
        for required in ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "JSON OUTPUT", "EXAMPLES", "SEE ALSO"] {
            #expect(page.sectionOrder.contains(required), "\(file) has no \(required) section")
        }
        // mdoc(7) order, with JSON OUTPUT after EXIT STATUS.
        let order = [
            "NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXIT STATUS", "JSON OUTPUT", "EXAMPLES", "DIAGNOSTICS",
            "SEE ALSO", "STANDARDS", "HISTORY", "AUTHORS", "CAVEATS", "BUGS",
        ]
        let positions = page.sectionOrder.map { order.firstIndex(of: $0) }
        #expect(!positions.contains(nil), "\(file): unknown section among \(page.sectionOrder)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(file): sections out of order: \(page.sectionOrder)")
    }

    @Test(arguments: commandNames)
    func manPageDocumentsCommand(name: String) throws {
        let command = Docs.command(named: name)
        let file = CommandTable.standard.manPage(for: command) + ".1"
        let page = try ManPage(file: file)

        // SYNOPSIS: a form for the command, naming each of its options.
        let forms = page.synopsisForms(for: command.path).joined()
        #expect(!forms.isEmpty, "\(file): no SYNOPSIS form with '.Cm \(name)'")
        for option in command.options {
            // `\-type` reads as the word `-type`: the backslash is not part of a name.
            #expect(nameTokens(forms).contains("-" + option.long), "\(file): SYNOPSIS of \(name) lacks --\(option.long)")
        }

        // DESCRIPTION: an item per option; in a family page, inside the verb's item.
        var scope = page.section("DESCRIPTION")
        if command.path.count > 1 {
            let items = page.descriptionItems()
            let item = items[command.path.last!]
            #expect(item != nil, "\(file): DESCRIPTION has no '.It Cm \(command.path.last!)' item")
            scope = item ?? ""
        }
        for option in command.options {
            #expect(ManPage.hasItem(option: option.long, lines: scope), "\(file): no '.It Fl \\-\(option.long)' for \(name)")
        }
        for alias in command.aliases {
            #expect(scope.contains(".Cm \(alias)"), "\(file): alias '\(alias)' of \(name) is not mentioned")
        }
    }

    @Test func bitlinkPageListsEveryCommandGlobalOptionAndVariable() throws {
        let page = try ManPage(file: "bitlink.1")
        let items = page.descriptionItems()
        for word in Docs.topLevelWords {
            #expect(items[word] != nil, "bitlink.1: DESCRIPTION has no '.It Cm \(word)'")
        }
        for (group, verbs) in Docs.groupVerbs {
            for verb in verbs {
                #expect(nameTokens(items[group] ?? "").contains(verb), "bitlink.1: '\(group) \(verb)' is not named")
            }
        }
        for option in CommandTable.globalOptions {
            #expect(page.hasItem(option: option.long, in: "DESCRIPTION"), "bitlink.1: no '.It Fl \\-\(option.long)'")
            if let short = option.short {
                #expect(page.hasItem(short: short, in: "DESCRIPTION"), "bitlink.1: no '.It Fl \(short)' for --\(option.long)")
            }
        }
        let documented = Set(page.macroLines("ENVIRONMENT").filter { $0.first == ".It" && $0.dropFirst().first == "Ev" }.compactMap { $0.dropFirst(2).first })
        let table = Set(CommandTable.environment.map(\.name))
        for variable in table.subtracting(documented) {
            Issue.record("bitlink.1: ENVIRONMENT has no '.It Ev \(variable)'")
        }
        for variable in documented.subtracting(table) {
            Issue.record("bitlink.1: ENVIRONMENT documents \(variable), which CommandTable.environment does not list")
        }
        let files = page.section("FILES")
        #expect(files.contains("$XDG_DATA_HOME/bitlink/bitlink.db"))
        #expect(files.contains("~/.local/share/bitlink/bitlink.db"))
        #expect(files.contains("0600") && files.contains("0700"))
    }

    /// Every variable an option falls back to is one the table lists for the docs.
    @Test func optionEnvironmentVariablesAreListed() {
        let listed = Set(CommandTable.environment.map(\.name))
        for option in CommandTable.globalOptions + Docs.commands.flatMap(\.options) {
            if let variable = option.environment {
                #expect(listed.contains(variable), "--\(option.long) reads \(variable), missing from CommandTable.environment")
            }
        }
    }

    /// A word that both `ExitStatus.meaning` and the bitlink.1 entry must contain, so a
    /// new status (or a changed meaning) needs its page entry. The switch is exhaustive:
    /// a new case does not compile until it has a keyword.
    static func keyword(_ status: BitlinkExitStatus) -> String {
        switch status {
        case .ok: return "success"
        case .failure: return "domain failure"
        case .usage: return "argument count"
        case .dataError: return "schema newer"
        case .noInput: return "does not exist"
        case .unavailable: return "unreachable"
        case .software: return "internal error"
        case .cannotCreate: return "cannot create the database"
        case .ioError: return "write failure on standard output"
        case .tempFail: return "timed out"
        case .protocolError: return "cannot read"
        case .noPermission: return "refused the read"
        case .config: return "environment variable"
        case .interrupted: return "sigint"
        case .terminated: return "sigterm"
        }
    }

    @Test(arguments: BitlinkExitStatus.allCases)
    func exitStatusInBitlinkPage(status: BitlinkExitStatus) throws {
        let entries = try ManPage(file: "bitlink.1").exitStatusEntries()
        let entry = entries.first(where: { $0.code == Int(status.rawValue) })
        #expect(entry != nil, "bitlink.1 EXIT STATUS has no '.It \(status.rawValue)'")
        let keyword = Self.keyword(status)
        #expect(flattened(status.meaning).contains(keyword), "ExitStatus.\(status) meaning no longer says '\(keyword)'")
        let text = flattened(entry?.text ?? "")
        #expect(text.contains(keyword), "bitlink.1 EXIT STATUS \(status.rawValue) does not say '\(keyword)'")
    }

    @Test(arguments: pageFiles)
    func exitStatusesArePartOfTheTable(file: String) throws {
        let entries = try ManPage(file: file).exitStatusEntries()
        #expect(!entries.isEmpty, "\(file): EXIT STATUS lists no status")
        let codes = Set(BitlinkExitStatus.allCases.map { Int($0.rawValue) })
        for entry in entries where !codes.contains(entry.code) {
            Issue.record("\(file): EXIT STATUS lists \(entry.code), which is not an ExitStatus")
        }
        #expect(entries.map(\.code) == entries.map(\.code).sorted(), "\(file): EXIT STATUS not in numeric order")
    }

    // MARK: JSON fields

    /// The documented JSON contract: every key each page must list in JSON OUTPUT.
    static let jsonContract: [String: [String]] = {
        let miner = [
            "id", "name", "miner_type", "model", "firmware", "ip_address", "mac_address", "hostname", "serial", "api_port", "http_port",
            "v3_port", "status", "status_reasons", "enabled", "auto_discovered", "created_at", "last_seen",
        ]
        let config = [
            "id", "miner", "miner_id", "active", "pool", "pool_url", "pool_user", "worker", "wallet", "wallet_id", "linked_by", "detected_at",
        ]
        let info = [
            "miner", "miner_id", "address", "miner_type", "model", "firmware", "hostname", "mac_address", "serial", "support", "state",
            "hashrate_hs", "hashrate_avg_hs", "hashrate_expected_hs", "temp_chip_max_c", "temp_board_max_c", "temp_inlet_c", "temp_outlet_c",
            "power_w", "efficiency_jth", "uptime_s", "best_difficulty", "shares_accepted", "shares_rejected", "boards", "fans", "pools",
            "errors", "read_at",
        ]
        let board = ["index", "hashrate_hs", "hashrate_expected_hs", "temp_board_c", "temp_chip_c", "chips", "chips_expected", "serial"]
        let fan = ["index", "rpm", "percent"]
        let pool = [
            "url", "user", "worker", "status", "active", "priority", "accepted", "rejected", "stale", "difficulty_accepted", "last_share_at",
        ]
        let share = ["id", "time", "wallet", "wallet_id", "miner", "miner_id", "pool", "worker", "difficulty", "accepted", "shares", "source"]
        let stats = ["group", "key", "accepted", "rejected", "reject_rate", "difficulty_sum", "last_share_at"]
        let sample = ["time", "status", "reasons", "hashrate_hs", "temp_max_c", "fan_min_rpm", "power_w", "accepted", "rejected", "uptime_s"]
        let scan =
            ["type", "name", "id", "stored", "wallet", "wallet_id", "match"] + ["address", "error", "code", "message"]
            + ["done", "total", "found", "elapsed_ms"]
            + [
                "targets", "found", "open_unknown", "errors", "stored_new", "stored_updated", "linked", "connections", "elapsed_ms", "status",
            ]
        let watch =
            [
                "type", "round", "time", "miner", "miner_id", "address", "status", "reasons", "hashrate_hs", "hashrate_expected_hs",
                "temp_max_c", "fan_min_rpm", "power_w", "accepted", "rejected", "new_accepted", "new_rejected", "uptime_s", "error",
            ]
            + ["old_status", "new_status"]
            + ["miners", "active", "warning", "dead", "new_shares", "elapsed_ms"]
        let link = [
            "miner", "miner_id", "wallet", "wallet_id", "pool_url", "pool_user", "linked_by", "linked", "explanation",
        ]
        return [
            "bitlink-miners.1": miner + config,
            "bitlink-info.1": info + board + fan + pool,
            "bitlink-scan.1": scan + info,
            "bitlink-watch.1": watch,
            "bitlink-shares.1": share + stats,
            "bitlink-history.1": sample,
            "bitlink-wallets.1": ["id", "address", "label", "pool", "created_at"],
            "bitlink-link-wallet.1": link,
            "bitlink-miner-types.1": ["miner_type", "name", "api", "ports", "reads", "models", "notes"],
        ]
    }()

    @Test(arguments: jsonContract.keys.sorted())
    func jsonOutputListsTheContractKeys(file: String) throws {
        let documented = try ManPage(file: file).jsonKeys()
        for key in Self.jsonContract[file]! where !documented.contains(key) {
            Issue.record("\(file): JSON OUTPUT does not list '\(key)'")
        }
    }

    /// The keys the built output code emits, for the commands that exist, against the
    /// pages (so a key added in code without a page entry fails here).
    @Test func jsonOutputListsTheKeysTheCodeEmits() throws {
        func keys(_ value: JSONValue) -> [String] { value.objectValue?.keys ?? [] }
        let emitted: [(file: String, keys: [String])] = [
            ("bitlink-miners.1", keys(RecordOutput.json(Miner(name: "rig1", host: "10.0.0.5")))),
            ("bitlink-wallets.1", keys(RecordOutput.json(Wallet(address: "acme")))),
            (
                "bitlink-shares.1",
                keys(
                    ShareOutput.json(
                        Store.ShareRecord(submission: ShareSubmission(timestamp: 0, source: .manual), walletAddress: nil, minerName: nil)))
            ),
            ("bitlink-history.1", keys(HistoryCommand.json(Sample(minerID: 1, time: 0, status: .active)))),
        ]
        for (file, emittedKeys) in emitted {
            #expect(!emittedKeys.isEmpty)
            let documented = try ManPage(file: file).jsonKeys()
            for key in emittedKeys where !documented.contains(key) {
                Issue.record("\(file): the code emits '\(key)', which JSON OUTPUT does not list")
            }
        }
    }

    // MARK: Completion scripts

    @Test(arguments: Shell.allCases)
    func scriptOffersEveryCommandVerbAndOption(shell: Shell) throws {
        let model = try CompletionModel.load(shell)
        let source = try Docs.read(shell.file)

        #expect(model.commands == Docs.topLevelWords, "\(shell.file): commands \(model.commands.sorted()) != table \(Docs.topLevelWords.sorted())")
        for (group, verbs) in Docs.groupVerbs {
            #expect(model.verbs[group] == verbs, "\(shell.file): verbs of \(group) \((model.verbs[group] ?? []).sorted()) != table \(verbs.sorted())")
        }
        #expect(Set(model.verbs.keys) == Set(Docs.groupVerbs.keys), "\(shell.file): groups \(model.verbs.keys.sorted())")

        for command in Docs.commands {
            let expected = Set(command.options.map(\.long))
            let offered = model.options[command.name] ?? []
            #expect(offered == expected, "\(shell.file): options of \(command.name) \(offered.sorted()) != table \(expected.sorted())")
            // Every word of the path and every alias is in the script at all.
            for word in command.path + command.aliases {
                #expect(nameTokens(source).contains(word), "\(shell.file): '\(word)' does not appear")
            }
        }
        for command in model.options.keys where !Self.commandNames.contains(command) {
            Issue.record("\(shell.file): completes options for '\(command)', which is not a command")
        }

        #expect(model.globalLongs == Set(CommandTable.globalOptions.map(\.long)), "\(shell.file): global options \(model.globalLongs.sorted())")
        #expect(
            model.globalShorts == Set(CommandTable.globalOptions.compactMap(\.short).map(String.init)),
            "\(shell.file): global short options \(model.globalShorts.sorted())")

        if let valued = model.valuedOptions {
            #expect(valued == Docs.valuedOptions, "\(shell.file): options taking a value \(valued.sorted()) != table \(Docs.valuedOptions.sorted())")
        }
    }

    /// An option name takes a value in every command or in none (bash's value handling,
    /// and fish's `-x`, rely on it).
    @Test func optionNamesTakeAValueConsistently() {
        var byName: [String: Bool] = [:]
        for option in CommandTable.globalOptions + Docs.commands.flatMap(\.options) {
            if let known = byName[option.long] {
                #expect(known == option.takesValue, "--\(option.long) takes a value in one command and not in another")
            }
            byName[option.long] = option.takesValue
        }
    }

    @Test(arguments: Shell.allCases)
    func scriptCompletesValuesAndOperandsByKind(shell: Shell) throws {
        let model = try CompletionModel.load(shell)
        // What each shell's script calls for each kind of dynamic value.
        func completer(_ what: String) -> String {
            switch shell {
            case .bash: return what == "files" ? "__bitlink_reply_files" : "__bitlink_query \(what)"
            case .zsh: return what == "files" ? "_files" : "_bitlink_complete_\(what)"
            case .fish: return what == "files" ? "-F" : "(__bitlink_query \(what))"
            }
        }
        func check(_ kind: CompletionKind, in source: String, what: String) {
            let expected: String
            switch kind {
            case .none:
                return
            case .values(let values):
                for value in values {
                    #expect(nameTokens(source).contains(value), "\(shell.file): \(what) does not offer '\(value)'")
                }
                return
            case .miners: expected = completer("miners")
            case .wallets: expected = completer("wallets")
            case .families: expected = completer("types")
            case .file: expected = completer("files")
            }
            #expect(source.contains(expected), "\(shell.file): \(what) does not complete with \(expected)")
        }
        for option in CommandTable.globalOptions {
            check(option.completion, in: model.valueSource(nil, option.long), what: "--\(option.long)")
        }
        for command in Docs.commands {
            for option in command.options {
                check(option.completion, in: model.valueSource(command.name, option.long), what: "\(command.name) --\(option.long)")
            }
            for positional in command.positionals {
                check(positional.completion, in: model.operandSource(command.name), what: "\(command.name) \(positional.name)")
            }
        }
    }

    @Test(arguments: Shell.allCases)
    func scriptNeverOffersHiddenCommands(shell: Shell) throws {
        let model = try CompletionModel.load(shell)
        let source = try Docs.read(shell.file)
        for command in CommandTable.standard.allCommands where command.hidden {
            #expect(!model.commands.contains(command.path[0]), "\(shell.file) offers the hidden \(command.name)")
        }
        #expect(!source.contains("__dump-commands"), "\(shell.file) mentions __dump-commands")
    }

    // MARK: Tools

    @Test(arguments: Shell.allCases)
    func scriptParsesInItsShell(shell: Shell) throws {
        let path = Docs.root.appendingPathComponent(shell.file).path
        guard let result = try runTool(shell.rawValue, ["-n", path]) else {
            print("skipped: \(shell.rawValue) is not installed; \(shell.file) was not syntax-checked")
            return
        }
        #expect(result.status == 0, "\(shell.rawValue) -n \(shell.file):\n\(result.output)")
        #expect(result.output.isEmpty, "\(shell.rawValue) -n \(shell.file):\n\(result.output)")
    }

    @Test func bashScriptIsShellcheckClean() throws {
        let path = Docs.root.appendingPathComponent(Shell.bash.file).path
        guard let result = try runTool("shellcheck", ["-s", "bash", path]) else {
            print("skipped: shellcheck is not installed; \(Shell.bash.file) was not linted")
            return
        }
        #expect(result.status == 0 && result.output.isEmpty, "shellcheck:\n\(result.output)")
    }

    /// `mandoc -T lint` prints nothing for any page. It runs in `man/` so that the
    /// pages' cross references to each other resolve (mandoc looks beside the page).
    @Test(arguments: pageFiles)
    func manPageLintsClean(file: String) throws {
        guard let result = try runTool("mandoc", ["-T", "lint", file], in: Docs.manDirectory) else {
            print("skipped: mandoc is not installed; man/\(file) was not linted")
            return
        }
        #expect(result.status == 0 && result.output.isEmpty, "mandoc -T lint man/\(file):\n\(result.output)")
    }
}
