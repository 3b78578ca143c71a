/// Comma-separated values as RFC 4180 writes them: fields with commas, quotes or line breaks are
/// quoted, quotes doubled; lines end with "\n".
public enum CSV {
    /// One line (with its newline) from fields.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }

    /// A whole table: header line, then one line per row.
    public static func table(header: [String], rows: [[String]]) -> String {
        line(header) + rows.map(line).joined()
    }

    /// Formats a number for CSV: integers without a decimal point, others in shortest round-trip form.
    public static func number(_ value: Double) -> String { value.isFinite ? JSONValue.format(value) : "nan" }

    static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
