
/// A fault in making a plot, a report, a run folder or a checkpoint; names the file or input at fault.
public struct ReportError: Error, CustomStringConvertible, Equatable {
    /// The user-facing message.
    public var message: String

    /// Makes an error with the given user-facing message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
