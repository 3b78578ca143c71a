import Engine

/// Lists that would outgrow the memory the process can get fail as script errors, not aborts.
enum ListMemory {
    /// Throws unless a list of `count` values can be allocated now.
    static func check(_ count: Int) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Value>.stride)
        if overflow { throw OutOfMemoryError(bytes: .max, what: "a list of \(count) values") }
        try MemoryProbe.check(bytes: bytes, "a list of \(count) values")
    }
}
