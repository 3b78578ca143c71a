import EngineTensor

/// Framing of time-domain features (rms, zero_crossing_rate), with librosa's defaults.
public struct FrameOptions: Equatable, Sendable {
    /// Samples per frame.
    public var frameLength: Int
    /// Samples between frame starts.
    public var hopLength: Int
    /// Pad `frameLength / 2` on both sides so frames are centred.
    public var center: Bool

    public init(frameLength: Int = 2048, hopLength: Int = 512, center: Bool = true) {
        self.frameLength = frameLength
        self.hopLength = hopLength
        self.center = center
    }

    /// The (padded) samples and the number of frames over them; throws on bad parameters.
    package func frames(of samples: [Float], padMode: PadMode, _ function: String) throws -> (signal: [Float], count: Int) {
        guard frameLength >= 1 else { throw AudioParameterError(function, "frame_length must be at least 1, got \(frameLength)") }
        guard hopLength >= 1 else { throw AudioParameterError(function, "hop_length must be at least 1, got \(hopLength)") }
        guard !samples.isEmpty else { throw AudioParameterError(function, "the signal is empty") }
        try Dim.validateCount(Double(samples.count) + Double(frameLength), op: function, of: "padding for frame_length=\(frameLength)")
        let signal = center ? samples.padded(by: frameLength / 2, mode: padMode) : samples
        guard signal.count >= frameLength else {
            throw AudioParameterError(function, "frame_length=\(frameLength) is longer than the \(samples.count)-sample signal")
        }
        return (signal, 1 + (signal.count - frameLength) / hopLength)
    }
}

extension AudioSignal {
    /// Root-mean-square energy per frame (librosa.feature.rms on `y`, zero-padded when centred): 1 × frames.
    public func rms(_ options: FrameOptions = FrameOptions()) throws -> FeatureMatrix {
        let (signal, frames) = try options.frames(of: samples, padMode: .constant, "rms")
        var out = FeatureMatrix(zerosRows: 1, columns: frames)
        signal.withUnsafeBufferPointer { x in
            for t in 0..<frames {
                var sum = 0.0
                for i in t * options.hopLength..<t * options.hopLength + options.frameLength { sum += Double(x[i] * x[i]) }
                out.values[t] = Float((sum / Double(options.frameLength)).squareRoot())
            }
        }
        return out
    }

    /// Fraction of sign changes per frame (librosa.feature.zero_crossing_rate: edge-padded when
    /// centred, |x| ≤ `threshold` counts as zero, zero counts as positive): 1 × frames.
    public func zeroCrossingRate(_ options: FrameOptions = FrameOptions(), threshold: Float = 1e-10) throws -> FeatureMatrix {
        let (signal, frames) = try options.frames(of: samples, padMode: .edge, "zero_crossing_rate")
        var out = FeatureMatrix(zerosRows: 1, columns: frames)
        signal.withUnsafeBufferPointer { x in
            for t in 0..<frames {
                let start = t * options.hopLength
                var crossings = 0
                var previousNegative = x[start] < -threshold
                for i in start + 1..<start + options.frameLength {
                    let negative = x[i] < -threshold
                    if negative != previousNegative { crossings += 1 }
                    previousNegative = negative
                }
                out.values[t] = Float(crossings) / Float(options.frameLength)
            }
        }
        return out
    }
}
