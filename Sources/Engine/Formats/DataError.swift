import Foundation

/// A fault in corpus indexing, dataset manipulation, splitting, caching or scaling; the
/// description names the file, column, class or shape at fault.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The user-facing message.
    public var message: String

    /// Makes an error with the given user-facing message.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
