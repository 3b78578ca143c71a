import Foundation

/// Where model files, plots and tables named by a script go: relative paths live in the run folder.
enum RunPaths {
    /// `path` for writing: relative paths resolve inside the run folder (and are listed in its
    /// report); parent folders are created.
    static func output(_ path: String, _ interpreter: Interpreter) throws -> String {
        let resolved = path.hasPrefix("/") ? path : try interpreter.output.resolve(path)
        let parent = (resolved as NSString).deletingLastPathComponent
        if !parent.isEmpty {
            do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
                throw BuiltinError("cannot create the folder \(parent): \(error.localizedDescription)")
            }
        }
        return resolved
    }

    /// `path` for reading: a relative path is looked up in the run folder first (where `save` put
    /// it), then relative to the working directory.
    static func input(_ path: String, _ interpreter: Interpreter) throws -> String {
        guard !path.hasPrefix("/") else { return path }
        let inRun = (try interpreter.output.directory() as NSString).appendingPathComponent(path)
        if FileManager.default.fileExists(atPath: inRun) { return inRun }
        guard FileManager.default.fileExists(atPath: path) else {
            throw BuiltinError("\(path): no such file (looked in the run folder \(try interpreter.output.directory()) and the working directory)")
        }
        return path
    }
}
