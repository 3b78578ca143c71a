import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A model slid over a long recording: the class probabilities of every window, in time order.
public struct EmotionTimeline: Sendable {
    /// The recording.
    public let path: String
    public let classNames: [String]
    /// Window length and hop in seconds.
    public let window: Double
    public let hop: Double
    /// Each window's start in seconds.
    public let starts: [Double]
    /// Each window's probabilities, in class order.
    public let probabilities: [[Float]]
    /// The whole recording (mono, at the bundle's rate), for the plot's waveform.
    public let recording: AudioSignal

    public init(path: String, classNames: [String], window: Double, hop: Double, starts: [Double], probabilities: [[Float]],
                recording: AudioSignal) {
        self.path = path
        self.classNames = classNames
        self.window = window
        self.hop = hop
        self.starts = starts
        self.probabilities = probabilities
        self.recording = recording
    }

    /// Each window's most probable class.
    public var emotions: [String] {
        probabilities.map { row in FilePrediction(path: path, classNames: classNames, probabilities: row).emotion }
    }

    /// One row per window: `start`, `end` (seconds), the most probable `emotion`, then one probability column per class.
    public func csv() -> String {
        let rows = zip(zip(starts, emotions), probabilities).map { pair, row -> [String] in
            let (start, emotion) = pair
            let end = min(start + window, recording.duration)
            return [CSV.number(start), CSV.number(end), emotion] + row.map { CSV.number(Double($0)) }
        }
        return CSV.table(header: ["start", "end", "emotion"] + classNames, rows: rows)
    }

    /// The waveform above the probability of every class over time (plotted at each window's centre).
    public func plot(title: String? = nil) -> TimelinePlot {
        TimelinePlot(title: title ?? "Emotions over time: \((path as NSString).lastPathComponent)", timeline: self)
    }
}
