import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A spectrogram (or any matrix) as a colour image with time and bin axes and a colour bar; the
/// pixels are an embedded PNG, so the SVG stays small and sharp at any size.
public struct SpectrogramPlot: Plot {
    /// Heading above the chart.
    public var title: String
    /// Row-major values, `rows × columns`; row 0 is the lowest bin and is drawn at the bottom.
    public var values: [Float]
    /// Frequency (or mel) bins.
    public var rows: Int
    /// Frames.
    public var columns: Int
    /// Seconds per frame (hop / sample rate) to label the x axis in seconds; `nil` labels frames.
    public var secondsPerColumn: Double?
    /// Label of the y axis and the colour bar's unit.
    /// y-axis title.
    public var yLabel: String
    /// Unit printed on the colour bar.
    public var unit: String
    /// Colour map.
    public var colormap: Colormap

    /// A plot of a `rows × columns` matrix.
    public init(title: String, values: [Float], rows: Int, columns: Int, secondsPerColumn: Double? = nil,
                yLabel: String = "mel bin", unit: String = "dB", colormap: Colormap = .magma) {
        self.title = title
        self.values = values
        self.rows = rows
        self.columns = columns
        self.secondsPerColumn = secondsPerColumn
        self.yLabel = yLabel
        self.unit = unit
        self.colormap = colormap
    }

    /// The matrix alone as a PNG, one pixel per cell, low bins at the bottom.
    public func png() throws -> Data {
        guard rows > 0, columns > 0, values.count == rows * columns else {
            throw ReportError("spectrogram '\(title)': \(values.count) values do not fill \(rows) × \(columns)")
        }
        let (low, high) = range
        var rgb = [UInt8](repeating: 0, count: rows * columns * 3)
        for row in 0..<rows {
            let source = (rows - 1 - row) * columns
            for column in 0..<columns {
                let value = Double(values[source + column])
                let (r, g, b) = colormap.rgb(high > low ? (value - low) / (high - low) : 0)
                let target = (row * columns + column) * 3
                rgb[target] = r
                rgb[target + 1] = g
                rgb[target + 2] = b
            }
        }
        return try PNG.encode(width: columns, height: rows, rgb: rgb)
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        let image = try png()
        var frame = ChartFrame()
        frame.right = 90
        var canvas = SVGCanvas(width: frame.width, height: frame.height)
        let duration = secondsPerColumn.map { $0 * Double(columns) }
        let xAxis = LinearAxis(minimum: 0, maximum: duration ?? Double(columns), pixels: (frame.plotLeft, frame.plotRight),
                               tickCount: 8, snap: false)
        let yAxis = LinearAxis(minimum: 0, maximum: Double(rows), pixels: (frame.plotBottom, frame.plotTop), snap: false)
        canvas.image(href: "data:image/png;base64," + image.base64EncodedString(), x: frame.plotLeft, y: frame.plotTop,
                     width: frame.plotRight - frame.plotLeft, height: frame.plotBottom - frame.plotTop, smooth: true)
        frame.decorate(&canvas, title: title, xLabel: duration == nil ? "frame" : "time (s)", yLabel: yLabel, yAxis: nil)
        for tick in xAxis.ticks {
            let x = xAxis.pixel(tick)
            canvas.line(x, frame.plotBottom, x, frame.plotBottom + 5, stroke: ChartFrame.axis)
            canvas.text(xAxis.label(tick), x: x, y: frame.plotBottom + 20, size: 11, anchor: .middle)
        }
        for tick in yAxis.ticks {
            let y = yAxis.pixel(tick)
            canvas.line(frame.plotLeft - 5, y, frame.plotLeft, y, stroke: ChartFrame.axis)
            canvas.text(yAxis.label(tick), x: frame.plotLeft - 8, y: y + 4, size: 11, anchor: .end)
        }
        let (low, high) = range
        ColorBar(colormap: colormap, lower: String(format: "%.0f %@", low, unit), upper: String(format: "%.0f %@", high, unit))
            .draw(on: &canvas, x: frame.plotRight + 14, y: frame.plotTop, height: frame.plotBottom - frame.plotTop)
        return canvas.render()
    }

    /// Smallest and largest finite value.
    private var range: (Double, Double) {
        var low = Float.infinity
        var high = -Float.infinity
        for value in values where value.isFinite {
            low = min(low, value)
            high = max(high, value)
        }
        return low <= high ? (Double(low), Double(high)) : (0, 1)
    }
}
