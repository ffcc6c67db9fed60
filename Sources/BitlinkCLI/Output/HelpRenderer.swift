/// Help text, built from the command table so help, completions and man pages describe
/// the same commands and options.
struct HelpRenderer {
    let table: CommandTable
    /// Wrap width: min(COLUMNS, 80).
    let width: Int

    init(table: CommandTable, width: Int) {
        self.table = table
        self.width = max(40, min(width, 80))
    }

    /// Full help of a leaf command (`bitlink CMD --help` and `bitlink help CMD`).
    func command(_ spec: CommandSpec) -> String {
        var out = "OVERVIEW: \(spec.summary)\n\n"
        out += "USAGE: " + wrap(spec.synopsis, indent: 7, first: 7) + "\n"
        if !spec.examples.isEmpty {
            out += "\nEXAMPLES:\n"
            for example in spec.examples {
                out += "  \(example.command)\n"
                out += wrap(example.explanation, indent: 6, first: 6, prefixFirst: true) + "\n"
            }
        }
        if !spec.discussion.isEmpty {
            out += "\nDESCRIPTION:\n" + wrap(spec.discussion, indent: 2, first: 2, prefixFirst: true) + "\n"
        }
        if !spec.positionals.isEmpty {
            out += "\nARGUMENTS:\n"
            out += list(spec.positionals.map { ($0.name + ($0.variadic ? "..." : ""), $0.help) })
        }
        if !spec.options.isEmpty {
            out += "\nOPTIONS:\n"
            out += list(spec.options.map { ($0.displayName, optionHelp($0)) })
        }
        out += "\nGLOBAL OPTIONS:\n"
        out += list(CommandTable.globalOptions.map { ($0.displayName, optionHelp($0)) })
        out += "\nSee 'man \(table.manPage(for: spec))' for details.\n"
        return out
    }

    /// Help of a command family (`bitlink miners --help`).
    func group(_ group: CommandGroup) -> String {
        var out = "OVERVIEW: \(group.summary)\n\n"
        out += "USAGE: bitlink \(group.name) COMMAND [OPTIONS]\n\n"
        out += "COMMANDS:\n"
        out += list(table.commands(in: group.name).filter { !$0.hidden }.map { ($0.path.last!, $0.summary) })
        out += "\nSee 'bitlink help \(group.name) <command>' for details.\n"
        return out
    }

    /// Short help of a family, on stderr when no subcommand was given.
    func shortGroup(_ group: CommandGroup) -> String {
        var out = "usage: bitlink \(group.name) COMMAND [OPTIONS]\n\n"
        out += list(table.commands(in: group.name).filter { !$0.hidden }.map { ($0.path.last!, $0.summary) })
        out += "\nSee 'bitlink help \(group.name) <command>' for details.\n"
        return out
    }

    /// Full help of the tool (`bitlink --help`, `bitlink help`).
    func tool() -> String {
        var out = "OVERVIEW: bitlink finds, identifies and watches the Bitcoin miners on your network,\n"
        out += "links them to your wallets, and keeps their shares and history in one SQLite file.\n\n"
        out += "USAGE: bitlink [GLOBAL OPTIONS] COMMAND [ARGUMENTS]\n\n"
        out += "COMMANDS:\n" + commandList()
        out += "\nGLOBAL OPTIONS:\n"
        out += list(CommandTable.globalOptions.map { ($0.displayName, optionHelp($0)) })
        out += "\nENVIRONMENT:\n"
        out += list(CommandTable.environment.map { ($0.name, $0.help) })
        out += "\nSee 'bitlink help <command>' for details, and 'man bitlink' for exit codes and examples.\n"
        return out
    }

    /// Short help of the tool, on stderr when no command was given.
    func shortTool() -> String {
        var out = "usage: bitlink [GLOBAL OPTIONS] COMMAND [ARGUMENTS]\n\n"
        out += commandList()
        out += "\nSee 'bitlink help <command>' for details.\n"
        return out
    }

    private func commandList() -> String {
        var rows: [(String, String)] = []
        for entry in table.topLevel {
            switch entry {
            case .command(let spec) where !spec.hidden: rows.append((spec.name, spec.summary))
            case .group(let group):
                for spec in table.commands(in: group.name) where !spec.hidden { rows.append((spec.name, spec.summary)) }
            default: break
            }
        }
        return list(rows)
    }

    private func optionHelp(_ option: OptionSpec) -> String {
        var text = option.help
        if let variable = option.environment { text += " (env: \(variable))" }
        return text
    }

    /// Two columns: a name, then wrapped help aligned after it.
    private func list(_ rows: [(String, String)]) -> String {
        let nameWidth = min(24, rows.map { $0.0.count }.max() ?? 0)
        var out = ""
        for (name, help) in rows {
            let indent = 2 + nameWidth + 2
            if name.count > nameWidth {
                out += "  \(name)\n" + wrap(help, indent: indent, first: indent, prefixFirst: true) + "\n"
            } else {
                let padded = name + String(repeating: " ", count: nameWidth - name.count)
                out += "  \(padded)  " + wrap(help, indent: indent, first: indent) + "\n"
            }
        }
        return out
    }

    /// Word-wraps `text` to the width. `first` is the column where the first line starts;
    /// with `prefixFirst` the first line's indent is emitted too.
    private func wrap(_ text: String, indent: Int, first: Int, prefixFirst: Bool = false) -> String {
        var lines: [String] = []
        var line = ""
        var column = first
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty, column + 1 + word.count > width {
                lines.append(line)
                line = ""
                column = indent
            }
            if !line.isEmpty {
                line += " "
                column += 1
            }
            line += word
            column += word.count
        }
        lines.append(line)
        let pad = String(repeating: " ", count: indent)
        var out = (prefixFirst ? String(repeating: " ", count: first) : "") + lines[0]
        for next in lines.dropFirst() { out += "\n" + pad + next }
        return out
    }
}
