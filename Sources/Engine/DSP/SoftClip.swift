import Foundation
import EngineTensor

/// Memoryless saturating nonlinearities (overdrive, tanh distortion).
public enum SoftClip {
    /// `y = tanh(drive · x)`: linear with slope `drive` for small signals, never reaching ±1.
    public static func tanh(_ signal: inout [Float], drive: Float) throws {
        guard drive > 0, drive.isFinite else { throw DSPError("tanh drive must be positive, got \(drive)") }
        signal.withUnsafeMutableBufferPointer { x in
            for i in x.indices { x[i] = Foundation.tanh(drive * x[i]) }
        }
    }

    /// Overdrive of `gainDB` decibels that keeps the peak level: the signal, normalised to its peak,
    /// goes through `tanh(g · x) / tanh(g)` with `g = 10^(gainDB/20)`, so quiet passages are raised
    /// relative to the peaks and the waveform gains odd harmonics. A silent signal is left as is.
    public static func overdrive(_ signal: inout [Float], gainDB: Double) throws {
        guard gainDB >= 0, gainDB.isFinite else { throw DSPError("overdrive gain must be ≥ 0 dB, got \(gainDB)") }
        let peak = Decibels.peak(signal)
        guard peak > 0, gainDB > 0 else { return }
        let drive = Float(Decibels.amplitude(fromDB: gainDB))
        Decibels.scale(&signal, by: 1 / peak)
        try tanh(&signal, drive: drive)
        Decibels.scale(&signal, by: peak / Foundation.tanh(drive))
    }
}
