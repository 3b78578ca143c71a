
/// Training or evaluation could not run as asked; the message names the data, option or file at fault.
public struct TrainError: Error, CustomStringConvertible, Equatable {
    /// The user-facing message.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
