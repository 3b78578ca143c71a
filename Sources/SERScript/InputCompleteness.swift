import Runtime

/// Whether an input is ready to run: the REPL reads another line for `incomplete`, and the
/// Jupyter kernel answers `is_complete_request` with it.
enum InputCompleteness: Equatable {
    case complete
    /// Only a closing bracket, brace, block or quote is missing.
    case incomplete
    /// A syntax error more lines cannot fix.
    case invalid

    init(_ text: String) {
        do {
            _ = try Program.parse(SourceFile(name: "<input>", text: text))
            self = .complete
        } catch let error as ScriptError {
            self = error.incomplete ? .incomplete : .invalid
        } catch {
            self = .invalid
        }
    }
}
