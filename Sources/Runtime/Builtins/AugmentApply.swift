import Engine
import Foundation

extension BuiltinRegistry {
    /// Calling an augmentation on one value: the before/after views of the augmentation notebook.
    func registerAugmentApply() {
        domain = "Augment"
        method("Augmentation", "call", [Parameter("x"), Parameter("copy", 0)],
               doc: "`aug(x)` applies the augmentation once: to an Audio value for a waveform augmentation (`awgn(snr: [10, 11], seed: 1)(clip)`), to a Spectrogram for `spec_augment`; `copy` picks which of the seeded copies (0-based), as `augment` would make it for a clip in row 0.") { a in
            let augmentation = try a.receiver(as: AugmentationValue.self)
            let copy = try a.int("copy")
            guard copy >= 0 else { throw BuiltinError("\(augmentation.name): copy must not be negative, got \(copy)") }
            switch augmentation.kind {
            case .waveform(let make):
                let signal = try a.object("x", as: AudioValue.self, named: "Audio").signal
                let samples = try make(signal.sampleRate).apply(to: signal.samples, clip: 0, copy: copy)
                return .object(AudioValue(AudioSignal(samples: samples, sampleRate: signal.sampleRate)))
            case .spectrogram(let masks):
                let spectrogram = try a.object("x", as: SpectrogramValue.self, named: "Spectrogram")
                let matrix = spectrogram.matrix
                var values = matrix.values
                try masks.apply(to: &values, rows: matrix.rows, frames: matrix.columns, clip: 0, copy: copy)
                return .object(spectrogram.with(try FeatureMatrix(rows: matrix.rows, columns: matrix.columns, values: values)))
            }
        }
    }
}
