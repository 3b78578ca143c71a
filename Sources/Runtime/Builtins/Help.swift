/// The text of `help(x)`, `:help` and `--list-builtins`, all generated from the registry.
public enum Help {
    /// Help for a value (builtin, method, function), a name as a string (`"sqrt"`, `"list.append"`,
    /// a type such as `"str"`), or an overview when `target` is nil.
    public static func text(for target: Value, registry: BuiltinRegistry) throws -> String {
        switch target {
        case .null, .undefined: return overview(registry)
        case .builtin(let builtin): return entry(builtin)
        case .method(let bound): return entry(bound.member)
        case .function(let closure): return "\(closure.code.signature)\n  A function defined at \(closure.code.location)."
        case .string(let name):
            // `list` is both a function and a type: show both.
            let parts = [registry.lookup(name).map(entry), registry.members[name].map { type(name, $0) }].compactMap { $0 }
            if !parts.isEmpty { return parts.joined(separator: "\n\n") }
            let candidates = Array(registry.functions.keys) + Array(registry.members.keys)
            throw BuiltinError("help: no builtin or type named '\(name)'" + Suggestions.didYouMean(name, among: candidates))
        default:
            return type(target.typeName, registry.members[target.typeName] ?? [:])
        }
    }

    static func entry(_ builtin: Builtin) -> String {
        "\(builtin.signature)\n  \(builtin.doc)"
    }

    static func type(_ name: String, _ members: [String: Builtin]) -> String {
        var lines = ["\(name) — \(members.count) methods and properties"]
        for member in members.values.sorted(by: { $0.name < $1.name }) {
            lines.append("  .\(member.kind == .property ? member.name : String(member.signature.dropFirst(name.count + 1)))  \(member.summary)")
        }
        return lines.joined(separator: "\n")
    }

    static func overview(_ registry: BuiltinRegistry) -> String {
        var lines = ["Builtins by domain (help(name) for details):"]
        for domain in registry.domains {
            let names = registry.entries.filter { $0.domain == domain }.map(\.qualifiedName)
            lines.append("  \(domain): " + names.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// Every entry as a Markdown table per domain (for the README), or plain text.
    public static func table(_ registry: BuiltinRegistry, markdown: Bool) -> String {
        var lines: [String] = []
        for domain in registry.domains {
            let entries = registry.entries.filter { $0.domain == domain }
            if markdown {
                lines += ["### \(domain)", "", "| builtin | what it does |", "|---|---|"]
                lines += entries.map { "| `\($0.signature.replacingOccurrences(of: "|", with: "\\|"))` | \($0.summary.replacingOccurrences(of: "|", with: "\\|")) |" }
                lines.append("")
            } else {
                lines.append("\(domain):")
                lines += entries.map { "  \($0.signature)  — \($0.summary)" }
            }
        }
        return lines.joined(separator: "\n")
    }
}
