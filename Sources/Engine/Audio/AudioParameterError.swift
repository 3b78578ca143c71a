
/// A bad audio request: a parameter out of range or a signal too short for it. The description
/// names the function and the parameter at fault, like librosa's `ParameterError`.
public struct AudioParameterError: Error, CustomStringConvertible, Equatable {
    /// The operation that refused, e.g. `stft`.
    public var function: String
    /// What is wrong, naming the parameter and its value.
    public var reason: String

    public init(_ function: String, _ reason: String) {
        self.function = function
        self.reason = reason
    }

    public var description: String { "\(function): \(reason)" }
}
