import Dispatch
import Foundation
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineFormats

/// How `fit` shows its progress.
public enum ProgressStyle: String, Sendable {
    /// A live bar when the output is a terminal, plain lines otherwise (CI, pipes, files).
    case automatic
    /// A live bar redrawn with carriage returns, plus one line per epoch.
    case bar
    /// One plain line per epoch.
    case lines
    /// Nothing.
    case silent
}

/// Where progress text goes, and whether it is a terminal.
public struct ProgressOutput {
    /// Whether carriage-return redraws will display as a live bar.
    public var isTerminal: Bool
    /// Writes text as given (no newline added).
    public var write: (String) -> Void

    /// An output sink.
    public init(isTerminal: Bool, write: @escaping (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    /// Standard output, flushed after every write; a terminal when `isatty` says so.
    public static var standardOutput: ProgressOutput {
        ProgressOutput(isTerminal: isatty(STDOUT_FILENO) != 0) { text in
            fputs(text, stdout)
            fflush(stdout)
        }
    }
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

/// Draws the live bar (at most ten times a second) and writes the per-epoch lines.
final class ProgressReporter {
    private let output: ProgressOutput
    private let showsBar: Bool
    private let silent: Bool
    private let totalEpochs: Int
    private var lastDraw = -Double.infinity
    private var drawnWidth = 0

    init(style: ProgressStyle, output: ProgressOutput, totalEpochs: Int) {
        self.output = output
        self.totalEpochs = totalEpochs
        silent = style == .silent
        showsBar = style == .bar || (style == .automatic && output.isTerminal)
    }

    /// After each batch: batch count, running loss and accuracy, speed and time left in the epoch.
    func batchDone(epoch: Int, batch: Int, of batches: Int, loss: Double, accuracy: Double,
                   samples: Int, elapsed: Double) {
        guard showsBar else { return }
        let now = monotonicSeconds()
        guard now - lastDraw >= 0.1 || batch == batches else { return }
        lastDraw = now
        let rate = elapsed > 0 ? Double(samples) / elapsed : 0
        let eta = batch > 0 ? elapsed / Double(batch) * Double(batches - batch) : 0
        let width = 24, filled = batches > 0 ? width * batch / batches : width
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let text = "Epoch \(epoch)/\(totalEpochs) [\(bar)] \(batch)/\(batches)  loss \(format(loss, 4))  "
            + "acc \(percent(accuracy))  \(format(rate, 1)) samples/s  ETA \(clock(eta))"
        draw(text)
    }

    /// Between the last batch and the end of the epoch, so a long validation pass does not look
    /// like a hang (and a Ctrl-C pressed now is known to wait for the next epoch's first batch).
    func validationStarted(epoch: Int, samples: Int) {
        guard showsBar else { return }
        draw("Epoch \(epoch)/\(totalEpochs)  validating on \(samples) samples…")
    }

    /// At the end of an epoch: one plain line (replacing the bar).
    func epochDone(_ record: EpochRecord, note: String) {
        var text = "Epoch \(record.epoch)/\(totalEpochs)  train loss \(format(record.trainLoss, 4)) acc \(percent(record.trainAccuracy))"
        if let loss = record.validationLoss, let accuracy = record.validationAccuracy {
            text += "  val loss \(format(loss, 4)) acc \(percent(accuracy))"
        }
        text += "  lr \(String(format: "%g", record.learningRate))  \(format(record.seconds, 1)) s  \(format(record.samplesPerSecond, 1)) samples/s"
        line(note.isEmpty ? text : "\(text)  \(note)")
    }

    /// A plain line (e.g. why training stopped).
    package func line(_ text: String) {
        guard !silent else { return }
        clearBar()
        output.write(text + "\n")
    }

    private func draw(_ text: String) {
        let padding = String(repeating: " ", count: max(0, drawnWidth - text.count))
        output.write("\r" + text + padding)
        drawnWidth = text.count
    }

    private func clearBar() {
        guard drawnWidth > 0 else { return }
        output.write("\r" + String(repeating: " ", count: drawnWidth) + "\r")
        drawnWidth = 0
    }

    private func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
    private func clock(_ seconds: Double) -> String {
        let total = Int(seconds.isFinite ? seconds.rounded() : 0)
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
                             : String(format: "%d:%02d", total / 60, total % 60)
    }
}
