import Foundation

/// A pickle that the restricted unpickler refused or could not read; says what and where.
public struct UnpicklerError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, with the byte offset of the opcode at fault.
    public var reason: String
    public var description: String { reason }
}

/// What a restricted unpickler may do beyond building plain data. The machine itself never imports
/// or calls anything: `global` decides whether a name may appear at all, `call` and `persistent`
/// build values from whitelisted callables and persistent ids, and `build` applies BUILD's state.
public struct UnpicklerHooks {
    public var global: (_ module: String, _ name: String) throws -> PickleValue
    public var call: (_ callable: PickleValue, _ arguments: [PickleValue]) throws -> PickleValue
    public var persistent: (_ id: PickleValue) throws -> PickleValue
    public var build: (_ object: PickleValue, _ state: PickleValue) throws -> Void

    public init(global: @escaping (String, String) throws -> PickleValue,
                call: @escaping (PickleValue, [PickleValue]) throws -> PickleValue,
                persistent: @escaping (PickleValue) throws -> PickleValue,
                build: @escaping (PickleValue, PickleValue) throws -> Void) {
        (self.global, self.call, self.persistent, self.build) = (global, call, persistent, build)
    }
}

/// A pickle opcode machine (protocols 0–5, the opcodes data pickles use) that only builds data:
/// every import and call goes through `UnpicklerHooks`, so a pickle can make nothing the hooks do
/// not allow. Opcodes outside its set (extension registry, `INST`/`OBJ`, buffers) are errors.
public struct Unpickler {
    private let bytes: [UInt8]
    private let hooks: UnpicklerHooks
    private var position = 0
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    public init(_ data: Data, hooks: UnpicklerHooks) {
        self.bytes = [UInt8](data)
        self.hooks = hooks
    }

    /// Runs the pickle to its STOP and returns the value it leaves.
    public mutating func load() throws -> PickleValue {
        while true {
            // Errors from the hooks (a refused global, a bad storage) pass through as they are.
            if let result = try step(try take(1)[0]) { return result }
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func step(_ opcode: UInt8) throws -> PickleValue? {
        switch opcode {
        case 0x80: _ = try take(1)                                   // PROTO
        case 0x95: _ = try take(8)                                   // FRAME (the frame's bytes follow inline)
        case 0x2E: return try pop()                                  // STOP
        case 0x28: marks.append(stack.count)                         // MARK
        case 0x4E: stack.append(.none)                               // NONE
        case 0x88: stack.append(.bool(true))                         // NEWTRUE
        case 0x89: stack.append(.bool(false))                        // NEWFALSE
        case 0x4B: stack.append(.int(Int(try take(1)[0])))           // BININT1
        case 0x4D: stack.append(.int(Int(try little(2))))            // BININT2
        case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try little(4)))))  // BININT
        case 0x8A: stack.append(.int(try long(Int(try take(1)[0])))) // LONG1
        case 0x47:                                                   // BINFLOAT (big-endian)
            stack.append(.float(Double(bitPattern: try take(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })))
        case 0x58: stack.append(.string(try text(Int(try little(4)))))         // BINUNICODE
        case 0x8C: stack.append(.string(try text(Int(try take(1)[0]))))        // SHORT_BINUNICODE
        case 0x8D: stack.append(.string(try text(try size(try little(8)))))    // BINUNICODE8
        case 0x54, 0x42: stack.append(.bytes(try take(Int(try little(4)))))    // BINSTRING, BINBYTES
        case 0x55, 0x43: stack.append(.bytes(try take(Int(try take(1)[0]))))   // SHORT_BINSTRING, SHORT_BINBYTES
        case 0x8E: stack.append(.bytes(try take(try size(try little(8)))))     // BINBYTES8
        case 0x29: stack.append(.tuple([]))                          // EMPTY_TUPLE
        case 0x85: stack.append(.tuple(try pop(1)))                  // TUPLE1
        case 0x86: stack.append(.tuple(try pop(2)))                  // TUPLE2
        case 0x87: stack.append(.tuple(try pop(3)))                  // TUPLE3
        case 0x74: stack.append(.tuple(try popToMark()))             // TUPLE
        case 0x5D: stack.append(.list(PickleList()))                 // EMPTY_LIST
        case 0x6C:                                                   // LIST
            let list = PickleList()
            list.items = try popToMark()
            stack.append(.list(list))
        case 0x7D: stack.append(.dict(PickleDict()))                 // EMPTY_DICT
        case 0x64:                                                   // DICT
            let dict = PickleDict()
            try pairs(try popToMark()) { dict.set($0, $1) }
            stack.append(.dict(dict))
        case 0x61:                                                   // APPEND
            let item = try pop()
            try list(try top()).items.append(item)
        case 0x65:                                                   // APPENDS
            let items = try popToMark()
            try list(try top()).items += items
        case 0x73:                                                   // SETITEM
            let value = try pop(), key = try pop()
            try dict(try top()).set(key, value)
        case 0x75:                                                   // SETITEMS
            let items = try popToMark()
            let target = try dict(try top())
            try pairs(items) { target.set($0, $1) }
        case 0x71: memo[Int(try take(1)[0])] = try top()             // BINPUT
        case 0x72: memo[Int(try little(4))] = try top()              // LONG_BINPUT
        case 0x94: memo[memo.count] = try top()                      // MEMOIZE
        case 0x68: stack.append(try recall(Int(try take(1)[0])))     // BINGET
        case 0x6A: stack.append(try recall(Int(try little(4))))      // LONG_BINGET
        case 0x30: _ = try pop()                                     // POP
        case 0x31: _ = try popToMark()                               // POP_MARK
        case 0x32: stack.append(try top())                           // DUP
        case 0x63:                                                   // GLOBAL "module\nname\n"
            let module = try line(), name = try line()
            stack.append(try hooks.global(module, name))
        case 0x93:                                                   // STACK_GLOBAL
            guard case .string(let name) = try pop(), case .string(let module) = try pop() else {
                throw UnpicklerError(reason: "at byte \(position - 1): STACK_GLOBAL needs two strings")
            }
            stack.append(try hooks.global(module, name))
        case 0x52:                                                   // REDUCE
            guard case .tuple(let arguments) = try pop() else {
                throw UnpicklerError(reason: "at byte \(position - 1): REDUCE needs an argument tuple")
            }
            stack.append(try hooks.call(try pop(), arguments))
        case 0x81:                                                   // NEWOBJ: cls.__new__(cls, *args)
            guard case .tuple(let arguments) = try pop() else {
                throw UnpicklerError(reason: "at byte \(position - 1): NEWOBJ needs an argument tuple")
            }
            stack.append(try hooks.call(try pop(), arguments))
        case 0x62:                                                   // BUILD
            let state = try pop()
            try hooks.build(try top(), state)
        case 0x51: stack.append(try hooks.persistent(try pop()))     // BINPERSID
        default:
            throw UnpicklerError(reason: "at byte \(position - 1): opcode 0x\(String(opcode, radix: 16)) is not allowed "
                                 + "in a data pickle (only plain data, whitelisted globals and persistent storages are read)")
        }
        return nil
    }

    // MARK: reading bytes

    private mutating func take(_ count: Int) throws -> [UInt8] {
        guard count >= 0, count <= bytes.count - position else {
            throw UnpicklerError(reason: "pickle ends early at byte \(position) (wanted \(count) more bytes of \(bytes.count))")
        }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    private mutating func little(_ width: Int) throws -> UInt64 {
        try take(width).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    private func size(_ value: UInt64) throws -> Int {
        guard value <= UInt64(bytes.count) else { throw UnpicklerError(reason: "length \(value) at byte \(position) exceeds the pickle") }
        return Int(value)
    }

    /// LONG1: a little-endian two's-complement integer of `count` bytes (at most 8 here).
    private mutating func long(_ count: Int) throws -> Int {
        guard count <= 8 else { throw UnpicklerError(reason: "at byte \(position): integer of \(count) bytes is too large") }
        guard count > 0 else { return 0 }
        let raw = try take(count)
        var value = raw.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        if count < 8, raw[count - 1] & 0x80 != 0 { value |= ~UInt64(0) << (8 * UInt64(count)) }
        return Int(Int64(bitPattern: value))
    }

    private mutating func text(_ count: Int) throws -> String {
        String(decoding: try take(count), as: UTF8.self)
    }

    private mutating func line() throws -> String {
        guard let end = bytes[position...].firstIndex(of: 0x0A), end - position <= 256 else {
            throw UnpicklerError(reason: "at byte \(position): GLOBAL name is not a short newline-ended line")
        }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    // MARK: the stack

    private mutating func pop() throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw UnpicklerError(reason: "at byte \(position - 1): the pickle's stack underflows")
        }
        return value
    }

    private mutating func pop(_ count: Int) throws -> [PickleValue] {
        guard stack.count - count >= (marks.last ?? 0) else {
            throw UnpicklerError(reason: "at byte \(position - 1): the pickle's stack underflows")
        }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw UnpicklerError(reason: "at byte \(position - 1): no MARK to pop to") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private func top() throws -> PickleValue {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else {
            throw UnpicklerError(reason: "at byte \(position - 1): the pickle's stack is empty")
        }
        return value
    }

    private func recall(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw UnpicklerError(reason: "at byte \(position - 1): memo entry \(index) was never stored") }
        return value
    }

    private func list(_ value: PickleValue) throws -> PickleList {
        guard case .list(let list) = value else { throw UnpicklerError(reason: "at byte \(position - 1): APPEND to a \(value.kind), not a list") }
        return list
    }

    private func dict(_ value: PickleValue) throws -> PickleDict {
        guard case .dict(let dict) = value else { throw UnpicklerError(reason: "at byte \(position - 1): SETITEM on a \(value.kind), not a dict") }
        return dict
    }

    private func pairs(_ items: [PickleValue], _ body: (PickleValue, PickleValue) -> Void) throws {
        guard items.count % 2 == 0 else { throw UnpicklerError(reason: "at byte \(position - 1): odd number of dict items") }
        for index in stride(from: 0, to: items.count, by: 2) { body(items[index], items[index + 1]) }
    }
}
