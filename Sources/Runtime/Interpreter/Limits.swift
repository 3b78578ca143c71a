/// How much a script may ask for in one go. Past it a builtin refuses with an error instead of
/// exhausting memory: a failed allocation is a trap, which would end a REPL session.
enum Limits {
    /// Most elements of a list, a repetition or any other sequence built at once.
    static let elements = 10_000_000

    /// Throws, naming `what`, when `count` elements are more than `elements`.
    static func check(_ count: Int, _ what: String) throws {
        guard count <= elements else { throw BuiltinError("\(what) would have \(count) elements; at most \(elements) are allowed") }
    }

    /// `count · each`, checked against `elements` (and Int's range) as `check` does.
    static func elements(_ count: Int, times each: Int, _ what: String) throws -> Int {
        let (product, overflow) = max(0, count).multipliedReportingOverflow(by: max(0, each))
        try check(overflow ? .max : product, what)
        return product
    }
}
