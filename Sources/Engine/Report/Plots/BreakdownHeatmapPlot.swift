import EngineFormats
import EngineTrain

/// The notebooks' 2 × N heatmap of a correctness breakdown: rows wrong / correct, one column per
/// value (normal / strong, female / male), each cell with its count and its share of the column,
/// coloured by that share.
public struct BreakdownHeatmapPlot: Plot {
    /// Heading above the chart.
    public var title: String
    /// The tallies to draw.
    public var breakdown: CorrectnessBreakdown
    /// Colour map of the cells.
    public var colormap: Colormap

    public init(title: String, breakdown: CorrectnessBreakdown, colormap: Colormap = .blues) {
        (self.title, self.breakdown, self.colormap) = (title, breakdown, colormap)
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        let columns = breakdown.rows
        guard !columns.isEmpty else { throw ReportError("breakdown '\(title)' has no values to draw") }
        let cell = max(60, min(110, 560 / Double(columns.count)))
        let (left, top) = (110.0, 64.0)
        let width = left + cell * Double(columns.count) + 90
        let height = top + cell * 2 + 60
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: width / 2, y: 30, size: 17, anchor: .middle, color: "#222222", bold: true)
        for (row, name) in ["wrong", "correct"].enumerated() {
            canvas.text(name, x: left - 10, y: top + cell * (Double(row) + 0.5) + 4, size: 13, anchor: .end)
            for (column, tally) in columns.enumerated() {
                let count = row == 0 ? tally.wrong : tally.correct
                let share = Double(count) / Double(max(1, tally.correct + tally.wrong))
                let (x, y) = (left + cell * Double(column), top + cell * Double(row))
                canvas.rect(x: x, y: y, width: cell, height: cell, fill: colormap.hex(share), stroke: "#ffffff")
                let ink = colormap.ink(share)
                canvas.text(String(count), x: x + cell / 2, y: y + cell / 2, size: 15, anchor: .middle, color: ink, bold: true)
                canvas.text(percent(share), x: x + cell / 2, y: y + cell / 2 + 17, size: 10, anchor: .middle, color: ink)
            }
        }
        for (column, tally) in columns.enumerated() {
            canvas.text(tally.value, x: left + cell * (Double(column) + 0.5), y: top + cell * 2 + 20, size: 13, anchor: .middle)
        }
        canvas.text(breakdown.column, x: left + cell * Double(columns.count) / 2, y: height - 10, size: 13, anchor: .middle)
        ColorBar(colormap: colormap, lower: "0%", upper: "100%")
            .draw(on: &canvas, x: left + cell * Double(columns.count) + 24, y: top, height: cell * 2)
        return canvas.render()
    }
}

extension Colormap {
    /// Dark or white text, whichever reads better on the colour of `value`.
    func ink(_ value: Double) -> String {
        let rgb = self.rgb(value)
        let luminance = 0.299 * Double(rgb.0) + 0.587 * Double(rgb.1) + 0.114 * Double(rgb.2)
        return luminance > 140 ? "#1a1a1a" : "#ffffff"
    }
}
