import EngineTensor

/// Collects the output shape of every module called while a summary is being taken.
final class SummaryRecorder {
    nonisolated(unsafe) static var active: SummaryRecorder?
    private(set) var outputShapes: [ObjectIdentifier: [Int]] = [:]
    private(set) var callOrder: [ObjectIdentifier] = []

    package func record(_ module: Module, output: Tensor) {
        let id = ObjectIdentifier(module)
        if outputShapes[id] == nil { callOrder.append(id) }
        outputShapes[id] = output.shape
    }
}

extension Module {
    /// A printable table of the layers — path, type, output shape (only when `inputShape` is given:
    /// from one eval-mode forward pass on zeros without gradients) and the parameters each holds
    /// itself — ending with the trainable parameter count, e.g. `395,176 trainable parameters`.
    /// Every leaf layer is listed, and so is any container holding parameters of its own (attention's
    /// `in_proj_weight` / `in_proj_bias`), so the rows add up to the total.
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
        let listed = namedModules().filter { $0.module.namedChildren.isEmpty || !$0.module.ownParameters.isEmpty }
        var rows: [[String]] = [inputShape == nil ? ["layer", "type", "parameters"] : ["layer", "type", "output shape", "parameters"]]
        for (name, module) in listed {
            let count = module.ownParameters.reduce(0) { $0 + $1.tensor.count }
            var row = [name.isEmpty ? "(root)" : name, module.typeDescription]
            if inputShape != nil { row.append(recorder.outputShapes[ObjectIdentifier(module)].map { "\($0)" } ?? "-") }
            rows.append(row + [Self.grouped(count)])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        lines.insert(String(repeating: "-", count: widths.reduce(2 * (widths.count - 1), +)), at: 1)
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
