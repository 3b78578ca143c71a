
/// A DSP or augmentation request with parameters outside the range where it is defined.
public struct DSPError: Error, CustomStringConvertible, Equatable {
    /// What was asked and why it cannot be done.
    public var reason: String
    /// Creates an error with its user-facing message.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
