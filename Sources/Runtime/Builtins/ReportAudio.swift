import Engine
import Foundation

extension BuiltinRegistry {
    /// Test clips with players in the run's HTML report.
    func registerReportAudio() {
        domain = "Evaluate"
        function("report_audio", [Parameter("result"), Parameter("per_class", 2), Parameter("folder", "audio/test")],
                 doc: "Copies the first `per_class` test clips of every true class into `folder` of the run folder and shows each in the HTML report as an `<audio controls>` player captioned with its true and predicted class (every WAV a run writes gets a player anyway). `result` is an EvalResult of features made from a dataset; returns the copied paths.") { a in
            let result = try a.object("result", as: EvalResultValue.self, named: "EvalResult (from evaluate)")
            let perClass = try a.int("per_class")
            guard perClass >= 1 else { throw BuiltinError("report_audio: per_class must be at least 1, got \(perClass)") }
            let clips = try result.clipTable(for: "report_audio")
            let evaluation = result.evaluation
            let names = evaluation.report.classNames
            let folder = try a.string("folder")
            var copied: [Value] = []
            for sample in evaluation.samples(perClass: perClass) {
                let row = evaluation.metadataRows[sample.example]
                guard clips.clips.indices.contains(row), names.indices.contains(sample.label), names.indices.contains(sample.prediction) else {
                    throw BuiltinError("report_audio: example \(sample.example) has no clip or class name")
                }
                let source = clips.clips[row].path
                let (truth, guess) = (names[sample.label], names[sample.prediction])
                let file = "\(folder)/\(truth)-\(copied.count + 1)-as-\(guess).\((source as NSString).pathExtension)"
                let target = try a.interpreter.output.resolve(audio: file,
                    caption: "true \(truth), predicted \(guess) (\(truth == guess ? "right" : "wrong")) — \((source as NSString).lastPathComponent)")
                do {
                    try? FileManager.default.removeItem(atPath: target)
                    try FileManager.default.copyItem(atPath: source, toPath: target)
                } catch {
                    throw BuiltinError("report_audio: cannot copy \(source) to \(target): \(error.localizedDescription)")
                }
                copied.append(.string(target))
            }
            return .list(ListBox(copied))
        }
    }
}
