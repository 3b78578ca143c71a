extension Evaluation {
    /// One example picked for listening: its position among the evaluated examples, true and predicted class.
    public struct Sample: Equatable, Sendable {
        public let example: Int
        public let label: Int
        public let prediction: Int
    }

    /// The first `perClass` examples of each true class, in class order then example order, so a
    /// report can play a few test clips of every class beside what the model made of them.
    public func samples(perClass: Int) -> [Sample] {
        var picked: [Int: [Sample]] = [:]
        for (example, (label, prediction)) in zip(labels, predictions).enumerated() where picked[label, default: []].count < perClass {
            picked[label, default: []].append(Sample(example: example, label: label, prediction: prediction))
        }
        return picked.keys.sorted().flatMap { picked[$0] ?? [] }
    }
}
