import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// An emotion timeline as one SVG: the recording's waveform on top, each class's probability per
/// window below on the same time axis, with a legend.
public struct TimelinePlot: Plot {
    public var title: String
    public var timeline: EmotionTimeline

    public func svg() throws -> String {
        let recording = timeline.recording
        guard !timeline.starts.isEmpty, timeline.starts.count == timeline.probabilities.count, recording.sampleRate > 0 else {
            throw ReportError("timeline '\(title)': needs at least one window with probabilities")
        }
        var frame = ChartFrame()
        frame.height = 560
        frame.right = 150
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        let end = max(recording.duration, (timeline.starts.last ?? 0) + timeline.window)
        let xAxis = LinearAxis(minimum: 0, maximum: end, pixels: (frame.plotLeft, frame.plotRight), tickCount: 8, snap: false)
        // Waveform band on top, probabilities in the rest.
        let waveBottom = frame.plotTop + 110, probabilityTop = waveBottom + 30
        let yAxis = LinearAxis(minimum: 0, maximum: 1, pixels: (frame.plotBottom, probabilityTop))
        canvas.text(title, x: frame.width / 2, y: 30, size: 17, anchor: .middle, color: "#222222", bold: true)
        canvas.text("time (s)", x: (frame.plotLeft + frame.plotRight) / 2, y: frame.height - 16, size: 13, anchor: .middle)
        canvas.text("probability", x: 20, y: (probabilityTop + frame.plotBottom) / 2, size: 13, anchor: .middle, rotate: -90)
        canvas.text("waveform", x: 20, y: (frame.plotTop + waveBottom) / 2, size: 13, anchor: .middle, rotate: -90)
        for tick in yAxis.ticks {
            let y = yAxis.pixel(tick)
            canvas.line(frame.plotLeft, y, frame.plotRight, y, stroke: ChartFrame.grid)
            canvas.text(yAxis.label(tick), x: frame.plotLeft - 8, y: y + 4, size: 11, anchor: .end)
        }
        canvas.line(frame.plotLeft, frame.plotBottom, frame.plotRight, frame.plotBottom, stroke: ChartFrame.axis)
        canvas.line(frame.plotLeft, probabilityTop, frame.plotLeft, frame.plotBottom, stroke: ChartFrame.axis)
        for tick in xAxis.ticks {
            let x = xAxis.pixel(tick)
            canvas.line(x, frame.plotBottom, x, frame.plotBottom + 5, stroke: ChartFrame.axis)
            canvas.text(xAxis.label(tick), x: x, y: frame.plotBottom + 20, size: 11, anchor: .middle)
        }
        if !recording.samples.isEmpty {
            let peak = Double(recording.samples.lazy.filter(\.isFinite).map { abs($0) }.max() ?? 1)
            let waveAxis = LinearAxis(minimum: -max(peak, 1e-6), maximum: max(peak, 1e-6), pixels: (waveBottom, frame.plotTop), snap: false)
            canvas.polygon(WaveformPlot.envelope(recording.samples, sampleRate: Double(recording.sampleRate), xAxis: xAxis, yAxis: waveAxis,
                                                 columns: Int(xAxis.pixel(recording.duration) - frame.plotLeft)),
                           fill: "#9ecae1")
        }
        let centres = timeline.starts.map { $0 + min(timeline.window, end - $0) / 2 }
        for (index, name) in timeline.classNames.enumerated() {
            let color = ChartFrame.palette[index % ChartFrame.palette.count]
            let points = zip(centres, timeline.probabilities).map { (xAxis.pixel($0), yAxis.pixel(Double($1[index]))) }
            canvas.polyline(points, stroke: color)
            if points.count <= 60 { for point in points { canvas.circle(x: point.0, y: point.1, radius: 2.5, fill: color) } }
            let legendY = probabilityTop + 12 + Double(index) * 22
            canvas.line(frame.plotRight + 14, legendY, frame.plotRight + 38, legendY, stroke: color, width: 3)
            canvas.text(name, x: frame.plotRight + 44, y: legendY + 4, size: 12)
        }
        return canvas.render()
    }
}
