import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// Cross-validation scores: folds along the x axis, one dot per run (fold × seed) for each metric,
/// each metric's mean as a dashed line across the chart, a legend with the means.
public struct FoldPlot: Plot {
    /// Heading above the chart.
    public var title: String
    /// Fold names in x order.
    public var folds: [String]
    /// Per metric: its name, its points (fold index, value) and its mean.
    public var series: [(name: String, points: [(fold: Int, value: Double)], mean: Double)]

    /// A fold plot; values are drawn as given (e.g. percentages).
    public init(title: String, folds: [String], series: [(name: String, points: [(fold: Int, value: Double)], mean: Double)]) {
        self.title = title
        self.folds = folds
        self.series = series
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        let values = series.flatMap { $0.points.map(\.value) }.filter(\.isFinite)
        guard !folds.isEmpty, !values.isEmpty else { throw ReportError("fold plot '\(title)' has no finite scores") }
        if let bad = series.flatMap(\.points).first(where: { !folds.indices.contains($0.fold) }) {
            throw ReportError("fold plot '\(title)': point for fold \(bad.fold) of \(folds.count)")
        }
        var frame = ChartFrame()
        frame.right = 170
        let longest = folds.map(\.count).max() ?? 0
        let slot = (frame.width - frame.left - frame.right) / Double(folds.count)
        let rotated = Double(longest) * 7 > slot
        if rotated { frame.bottom += Double(min(longest, 28)) * 5 }
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        let yAxis = LinearAxis(minimum: values.min() ?? 0, maximum: values.max() ?? 1, pixels: (frame.plotBottom, frame.plotTop))
        frame.decorate(&canvas, title: title, xLabel: "fold", yLabel: "%", yAxis: yAxis)
        for (index, fold) in folds.enumerated() {
            let x = frame.plotLeft + slot * (Double(index) + 0.5)
            if rotated {
                canvas.text(fold, x: x, y: frame.plotBottom + 14, size: 11, anchor: .end, rotate: -40)
            } else {
                canvas.text(fold, x: x, y: frame.plotBottom + 18, size: 11, anchor: .middle)
            }
        }
        // Metrics side by side within a fold's slot, so equal values do not hide each other.
        let spread = slot * 0.5 / Double(max(1, series.count))
        for (metricIndex, metric) in series.enumerated() {
            let color = ChartFrame.palette[metricIndex % ChartFrame.palette.count]
            let offset = (Double(metricIndex) - Double(series.count - 1) / 2) * spread
            for point in metric.points where point.value.isFinite {
                canvas.circle(x: frame.plotLeft + slot * (Double(point.fold) + 0.5) + offset, y: yAxis.pixel(point.value),
                              radius: 4, fill: color)
            }
            if metric.mean.isFinite {
                let y = yAxis.pixel(metric.mean)
                canvas.line(frame.plotLeft, y, frame.plotRight, y, stroke: color, width: 1.5, dash: "6 4")
            }
            let legendY = frame.plotTop + 12 + Double(metricIndex) * 22
            canvas.circle(x: frame.plotRight + 22, y: legendY, radius: 4, fill: color)
            canvas.text("\(metric.name) (mean \(String(format: "%.2f", metric.mean)))", x: frame.plotRight + 32, y: legendY + 4, size: 12)
        }
        return canvas.render()
    }
}
