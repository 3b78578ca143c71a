import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A waveform as its min/max envelope per pixel column (as audio editors draw it), time in seconds.
public struct WaveformPlot: Plot {
    /// Heading above the chart.
    public var title: String
    /// Mono samples.
    public var samples: [Float]
    /// Samples per second.
    public var sampleRate: Double

    /// A waveform plot of `samples` at `sampleRate`.
    public init(title: String, samples: [Float], sampleRate: Double) {
        self.title = title
        self.samples = samples
        self.sampleRate = sampleRate
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        guard !samples.isEmpty, sampleRate > 0 else {
            throw ReportError("waveform '\(title)': needs samples and a positive sample rate (got \(samples.count) at \(sampleRate) Hz)")
        }
        let frame = ChartFrame()
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        let peak = Double(samples.lazy.filter(\.isFinite).map { abs($0) }.max() ?? 1)
        let yAxis = LinearAxis(minimum: -max(peak, 1e-6), maximum: max(peak, 1e-6), pixels: (frame.plotBottom, frame.plotTop))
        let xAxis = LinearAxis(minimum: 0, maximum: Double(samples.count) / sampleRate, pixels: (frame.plotLeft, frame.plotRight),
                               tickCount: 8, snap: false)
        frame.decorate(&canvas, title: title, xLabel: "time (s)", yLabel: "amplitude", yAxis: yAxis)
        for tick in xAxis.ticks {
            let x = xAxis.pixel(tick)
            canvas.line(x, frame.plotBottom, x, frame.plotBottom + 5, stroke: ChartFrame.axis)
            canvas.text(xAxis.label(tick), x: x, y: frame.plotBottom + 20, size: 11, anchor: .middle)
        }
        canvas.polygon(Self.envelope(samples, sampleRate: sampleRate, xAxis: xAxis, yAxis: yAxis, columns: Int(frame.plotRight - frame.plotLeft)),
                       fill: ChartFrame.palette[0])
        canvas.line(frame.plotLeft, yAxis.pixel(0), frame.plotRight, yAxis.pixel(0), stroke: "#9ecae1", width: 0.5)
        return canvas.render()
    }

    /// The min/max outline of `samples` over at most `columns` pixel columns, as one polygon.
    static func envelope(_ samples: [Float], sampleRate: Double, xAxis: LinearAxis, yAxis: LinearAxis, columns pixels: Int) -> [(Double, Double)] {
        let columns = min(pixels, samples.count)
        var upper: [(Double, Double)] = []
        var lower: [(Double, Double)] = []
        samples.withUnsafeBufferPointer { buffer in
            for column in 0..<columns {
                let start = column * buffer.count / columns
                let end = max(start + 1, (column + 1) * buffer.count / columns)
                var low = Float.infinity
                var high = -Float.infinity
                for index in start..<end where buffer[index].isFinite {
                    low = min(low, buffer[index])
                    high = max(high, buffer[index])
                }
                if low > high { (low, high) = (0, 0) }
                let x = xAxis.pixel(Double(start) / sampleRate)
                upper.append((x, yAxis.pixel(Double(high))))
                lower.append((x, yAxis.pixel(Double(low))))
            }
        }
        return upper + lower.reversed()
    }
}
