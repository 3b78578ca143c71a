/// The variables of one function call (or of the top level), in slots the resolver numbered
/// before the script ran — so reading a variable is an index, not a name lookup.
public final class Frame {
    let slots: UnsafeMutablePointer<Value>
    let size: Int
    /// The frame of the function this one's function was defined in (closures).
    let parent: Frame?

    init(size: Int, parent: Frame?) {
        self.size = size
        self.parent = parent
        slots = .allocate(capacity: Swift.max(size, 1))
        slots.initialize(repeating: .undefined, count: size)
    }

    /// A larger copy (the REPL's top level grows as new names are declared).
    func grown(to newSize: Int) -> Frame {
        let frame = Frame(size: newSize, parent: parent)
        for index in 0..<size { frame.slots[index] = slots[index] }
        return frame
    }

    deinit {
        slots.deinitialize(count: size)
        slots.deallocate()
    }
}

/// Names of the top level and their slots; persists across REPL inputs.
final class GlobalScope {
    var slots: [String: Int] = [:]
    /// Where each global was declared, for "used before it is assigned" messages.
    var declarations: [Int: SourceLocation] = [:]
    var count = 0

    func declare(_ name: String, at location: SourceLocation) -> Int {
        if let slot = slots[name] { return slot }
        let slot = allocate()
        slots[name] = slot
        declarations[slot] = location
        return slot
    }

    /// A slot with no name (a block-local variable at the top level).
    func allocate() -> Int {
        count += 1
        return count - 1
    }
}
