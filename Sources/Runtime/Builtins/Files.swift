import Foundation

extension BuiltinRegistry {
    /// Files and folders.
    func registerFiles() {
        domain = "Files"
        function("exists", [Parameter("path")], doc: "True if a file or folder exists at `path`.") { a in
            .bool(FileManager.default.fileExists(atPath: try a.string("path")))
        }
        function("read_text", [Parameter("path")], doc: "The whole text file at `path` (UTF-8).") { a in
            let path = try a.string("path")
            guard let data = FileManager.default.contents(atPath: path) else { throw BuiltinError("\(path): no such file or unreadable") }
            guard let text = String(data: data, encoding: .utf8) else { throw BuiltinError("\(path): not UTF-8 text") }
            return .string(text)
        }
        function("write_text", [Parameter("path"), Parameter("text")], doc: "Writes `text` to the file at `path`, replacing it.") { a in
            let path = try a.string("path")
            do { try (try a.string("text")).write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw BuiltinError("\(path): cannot write (\(error.localizedDescription))")
            }
            return .null
        }
        function("mkdir", [Parameter("path")], doc: "Creates the folder `path` and any missing parents; fine if it exists.") { a in
            let path = try a.string("path")
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw BuiltinError("\(path): cannot create folder (\(error.localizedDescription))")
            }
            return .null
        }
        function("glob", [Parameter("pattern")],
                 doc: "Sorted paths matching `pattern`, where `*` and `?` match within one path component and `**` matches any folders: `glob(\"data/**/*.wav\")`.") { a in
            .list(ListBox(try FileGlob.matches(try a.string("pattern")).map { .string($0) }))
        }
    }
}

/// Shell-style path patterns: `*`, `?` within a component, `**` for any depth of folders.
enum FileGlob {
    static func matches(_ pattern: String) throws -> [String] {
        let absolute = pattern.hasPrefix("/")
        let components = pattern.split(separator: "/").map(String.init)
        var results: [String] = []
        walk(absolute ? "/" : "", components[...], &results)
        return results.sorted()
    }

    private static func walk(_ base: String, _ rest: ArraySlice<String>, _ results: inout [String]) {
        guard let head = rest.first else {
            if !base.isEmpty { results.append(base) }
            return
        }
        let tail = rest.dropFirst()
        let directory = base.isEmpty ? "." : base
        func join(_ name: String) -> String { base.isEmpty ? name : (base.hasSuffix("/") ? base + name : base + "/" + name) }
        if head == "**" {
            walk(base, tail, &results)
            for name in children(directory) where isDirectory(join(name)) { walk(join(name), rest, &results) }
            return
        }
        if !head.contains("*") && !head.contains("?") {
            if FileManager.default.fileExists(atPath: join(head)) { walk(join(head), tail, &results) }
            return
        }
        for name in children(directory) where matches(Array(name), Array(head)) && !(name.hasPrefix(".") && !head.hasPrefix(".")) {
            walk(join(name), tail, &results)
        }
    }

    private static func children(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? []
    }

    /// A real folder, not a symbolic link to one (so `**` cannot loop through a link cycle).
    private static func isDirectory(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeDirectory
    }

    /// Wildcard match of one path component (iterative, no backtracking blow-up).
    static func matches(_ name: [Character], _ pattern: [Character]) -> Bool {
        var n = 0, p = 0, star = -1, mark = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
                n += 1; p += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p; mark = n; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; n = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
