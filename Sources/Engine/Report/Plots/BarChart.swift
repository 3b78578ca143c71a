import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// Vertical bars with their values printed on top: examples per emotion, gender, intensity, …
public struct BarChart: Plot {
    /// Heading above the chart.
    public var title: String
    /// Category labels along the x axis.
    public var categories: [String]
    /// Bar heights, one per category.
    public var values: [Double]
    /// x-axis title.
    public var xLabel: String
    /// y-axis title.
    public var yLabel: String

    /// A bar chart of `values` over `categories`.
    public init(title: String, categories: [String], values: [Double], xLabel: String = "", yLabel: String = "count") {
        self.title = title
        self.categories = categories
        self.values = values
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// A bar chart of counts such as `Dataset.counts(by:)` returns.
    public init(title: String, counts: [(value: String, count: Int)], xLabel: String = "") {
        self.init(title: title, categories: counts.map(\.value), values: counts.map { Double($0.count) }, xLabel: xLabel)
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        guard categories.count == values.count, !values.isEmpty else {
            throw ReportError("bar chart '\(title)': \(categories.count) categories for \(values.count) values")
        }
        var frame = ChartFrame()
        let longest = categories.map(\.count).max() ?? 0
        let rotated = longest * 7 > Int(frame.width - frame.left - frame.right) / values.count
        if rotated { frame.bottom += Double(min(longest, 24)) * 5 }
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        let yAxis = LinearAxis(minimum: min(0, values.min() ?? 0), maximum: max(values.max() ?? 1, 0) * 1.08,
                               pixels: (frame.plotBottom, frame.plotTop))
        frame.decorate(&canvas, title: title, xLabel: xLabel, yLabel: yLabel, yAxis: yAxis)
        let slot = (frame.plotRight - frame.plotLeft) / Double(values.count)
        for (index, value) in values.enumerated() {
            let x = frame.plotLeft + slot * Double(index)
            let top = yAxis.pixel(max(value, 0))
            let base = yAxis.pixel(min(value, 0))
            canvas.rect(x: x + slot * 0.15, y: top, width: slot * 0.7, height: base - top,
                        fill: ChartFrame.palette[index % ChartFrame.palette.count])
            let label = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : yAxis.label(value)
            canvas.text(label, x: x + slot / 2, y: top - 5, size: 11, anchor: .middle)
            if rotated {
                canvas.text(categories[index], x: x + slot / 2, y: frame.plotBottom + 14, size: 12, anchor: .end, rotate: -40)
            } else {
                canvas.text(categories[index], x: x + slot / 2, y: frame.plotBottom + 18, size: 12, anchor: .middle)
            }
        }
        return canvas.render()
    }
}
