import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// One named curve of a line chart.
public struct LineSeries: Sendable {
    /// Legend entry.
    public var name: String
    /// x values (e.g. epochs).
    public var x: [Double]
    /// y values (e.g. losses), one per x.
    public var y: [Double]

    /// A series of points.
    public init(name: String, x: [Double], y: [Double]) {
        self.name = name
        self.x = x
        self.y = y
    }

    /// A series over 1, 2, 3, … (epochs).
    public init(name: String, values: [Double]) {
        self.init(name: name, x: values.indices.map { Double($0 + 1) }, y: values)
    }
}

/// Several curves on shared axes with a legend: training and validation loss or accuracy per epoch.
public struct LineChart: Plot {
    /// Heading above the chart.
    public var title: String
    /// The curves, drawn in palette order.
    public var series: [LineSeries]
    /// x-axis title.
    public var xLabel: String
    /// y-axis title.
    public var yLabel: String

    /// A line chart of `series`.
    public init(title: String, series: [LineSeries], xLabel: String = "epoch", yLabel: String = "") {
        self.title = title
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        for curve in series where curve.x.count != curve.y.count {
            throw ReportError("line chart '\(title)': series '\(curve.name)' has \(curve.x.count) x and \(curve.y.count) y values")
        }
        // NaN and infinite values (a diverged run) are left out; a chart with none left says so.
        let points = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
        var frame = ChartFrame()
        frame.right = 150
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        guard !points.isEmpty else {
            frame.decorate(&canvas, title: title, xLabel: xLabel, yLabel: yLabel, yAxis: nil)
            canvas.text("no finite values to plot", x: (frame.plotLeft + frame.plotRight) / 2,
                        y: (frame.plotTop + frame.plotBottom) / 2, size: 14, anchor: .middle)
            return canvas.render()
        }
        let xAxis = LinearAxis(minimum: points.map(\.0).min() ?? 0, maximum: points.map(\.0).max() ?? 1,
                               pixels: (frame.plotLeft, frame.plotRight), tickCount: 8, snap: false)
        let yAxis = LinearAxis(minimum: points.map(\.1).min() ?? 0, maximum: points.map(\.1).max() ?? 1,
                               pixels: (frame.plotBottom, frame.plotTop))
        frame.decorate(&canvas, title: title, xLabel: xLabel, yLabel: yLabel, yAxis: yAxis)
        for tick in xAxis.ticks {
            let x = xAxis.pixel(tick)
            canvas.line(x, frame.plotBottom, x, frame.plotBottom + 5, stroke: ChartFrame.axis)
            canvas.text(xAxis.label(tick), x: x, y: frame.plotBottom + 20, size: 11, anchor: .middle)
        }
        for (index, curve) in series.enumerated() {
            let color = ChartFrame.palette[index % ChartFrame.palette.count]
            let path = zip(curve.x, curve.y).filter { $0.0.isFinite && $0.1.isFinite }
                .map { (xAxis.pixel($0.0), yAxis.pixel($0.1)) }
            canvas.polyline(path, stroke: color)
            if path.count <= 40 { for point in path { canvas.circle(x: point.0, y: point.1, radius: 2.5, fill: color) } }
            let legendY = frame.plotTop + 12 + Double(index) * 22
            canvas.line(frame.plotRight + 14, legendY, frame.plotRight + 38, legendY, stroke: color, width: 3)
            canvas.text(curve.name, x: frame.plotRight + 44, y: legendY + 4, size: 12)
        }
        return canvas.render()
    }
}
