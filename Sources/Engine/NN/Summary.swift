/// Collects the output shape of every module called while a summary is being taken.
final class SummaryRecorder {
    nonisolated(unsafe) static var active: SummaryRecorder?
    private(set) var outputShapes: [ObjectIdentifier: [Int]] = [:]
    private(set) var callOrder: [ObjectIdentifier] = []

    func record(_ module: Module, output: Tensor) {
        let id = ObjectIdentifier(module)
        if outputShapes[id] == nil { callOrder.append(id) }
        outputShapes[id] = output.shape
    }
}

extension Module {
    /// A printable table of the leaf layers — path, type, output shape (when `inputShape` is given,
    /// from one eval-mode forward pass on zeros without gradients) and parameter count — ending with
    /// the trainable parameter count, e.g. `395,176 trainable parameters`.
    public func summary(inputShape: [Int]? = nil) throws -> String {
        let recorder = SummaryRecorder()
        if let inputShape {
            let wasTraining = isTraining
            eval()
            defer { train(wasTraining) }
            SummaryRecorder.active = recorder
            defer { SummaryRecorder.active = nil }
            let input = try Tensor.zeros(inputShape)
            _ = try GradMode.withDisabled { try self(input) }
        }
        let leaves = namedModules().filter { $0.module.namedChildren.isEmpty }
        var rows: [[String]] = [["layer", "type", "output shape", "parameters"]]
        for (name, module) in leaves {
            let shape = recorder.outputShapes[ObjectIdentifier(module)].map { "\($0)" } ?? "-"
            let count = module.ownParameters.reduce(0) { $0 + $1.tensor.count }
            rows.append([name.isEmpty ? "(root)" : name, module.typeDescription, shape, Self.grouped(count)])
        }
        let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: widths.reduce(6, +)), at: 1)
        lines.append("\(Self.grouped(trainableParameterCount)) trainable parameters")
        return lines.joined(separator: "\n")
    }

    /// `395176` → `395,176`.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
