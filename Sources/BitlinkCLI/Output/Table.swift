/// A table with a human and a machine form of every cell.
///
/// On a terminal: upper-case headers, columns two spaces apart, no padding after the
/// last column, fitted to the width by shortening the widest columns with `...`.
/// Piped: tab-separated raw values, no header, no truncation — only the column order is
/// promised to scripts.
public struct Table {
    public enum Alignment { case left, right }

    public struct Column {
        public var header: String
        public var alignment: Alignment
        public init(_ header: String, _ alignment: Alignment = .left) {
            self.header = header
            self.alignment = alignment
        }
    }

    public struct Cell {
        public var human: String
        public var raw: String
        /// SGR colour code for terminals (`31` red...), applied only when colour is on.
        public var color: String?
        public init(_ human: String, raw: String, color: String? = nil) {
            self.human = human
            self.raw = raw
            self.color = color
        }
        public init(_ both: String) {
            human = both
            raw = both
        }
    }

    /// The colour of a health status: green active, yellow warning, red dead.
    public static func statusColor(_ status: String) -> String? {
        switch status {
        case "active": return "32"
        case "warning": return "33"
        case "dead": return "31"
        default: return nil
        }
    }

    public var columns: [Column]
    public var rows: [[Cell]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "row has \(row.count) cells, table has \(columns.count) columns")
        rows.append(row)
    }

    /// Tab-separated lines, one per row. Tabs and line breaks inside values become spaces,
    /// so every row stays one line with a fixed number of fields.
    public func tsv() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * columns.count * 12)
        for row in rows {
            for (index, cell) in row.enumerated() {
                if index > 0 { out.append(9) }
                for byte in cell.raw.utf8 {
                    out.append(byte == 9 || byte == 10 || byte == 13 ? 32 : byte)
                }
            }
            out.append(10)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The aligned form for a terminal of the given width; `color` wraps coloured cells
    /// in SGR codes after alignment, so the escapes never count as width.
    public func aligned(width: Int, color: Bool = false) -> String {
        let headers = columns.map { $0.header.uppercased() }
        var widths = headers.map(\.count)
        let cells = rows.map { $0.map { Table.singleLine($0.human) } }
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        let gap = 2
        var total = widths.reduce(0, +) + gap * max(0, widths.count - 1)
        // Shrink the widest column until the table fits. Short columns are never cut
        // (a floor of 10 or the header), so long values such as addresses give way first;
        // when even that is not enough the table stays wider than the terminal.
        let floors = headers.indices.map { min(widths[$0], max(10, headers[$0].count)) }
        while total > width {
            guard let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] })
            else { break }
            widths[widest] -= 1
            total -= 1
        }
        var out = ""
        func emit(_ row: [String], colors: [String?] = []) {
            var line = ""
            for (index, text) in row.enumerated() {
                var fitted = Table.truncate(text, to: widths[index])
                let visible = fitted.count
                if color, index < colors.count, let code = colors[index] { fitted = "\u{1B}[\(code)m" + fitted + "\u{1B}[0m" }
                let padding = String(repeating: " ", count: widths[index] - visible)
                let isLast = index == row.count - 1
                switch columns[index].alignment {
                case .left: line += fitted + (isLast ? "" : padding)
                case .right: line += padding + fitted
                }
                if !isLast { line += "  " }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        emit(headers)
        for (row, source) in zip(cells, rows) { emit(row, colors: source.map(\.color)) }
        return out
    }

    static func singleLine(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 })
    }

    static func truncate(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 3 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 3)) + "..."
    }
}
