import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A confusion-matrix heatmap: true classes down, predicted across; colours by row-normalised
/// share, each cell labelled with its count and row percentage.
public struct ConfusionMatrixPlot: Plot {
    /// Heading above the chart.
    public var title: String
    /// Class names in label order.
    public var classNames: [String]
    /// `counts[true][predicted]`.
    public var counts: [[Int]]
    /// Colour map of the cells.
    public var colormap: Colormap

    /// A heatmap of `counts`.
    public init(title: String = "Confusion matrix", classNames: [String], counts: [[Int]], colormap: Colormap = .blues) {
        self.title = title
        self.classNames = classNames
        self.counts = counts
        self.colormap = colormap
    }

    /// A heatmap of an evaluation's confusion matrix.
    public init(title: String = "Confusion matrix", report: ClassificationReport, colormap: Colormap = .blues) {
        self.init(title: title, classNames: report.classNames, counts: report.confusion, colormap: colormap)
    }

    /// The chart as a standalone SVG document.
    public func svg() throws -> String {
        let k = classNames.count
        guard k > 0, counts.count == k, counts.allSatisfy({ $0.count == k }) else {
            throw ReportError("confusion matrix '\(title)' must be \(k) × \(k) for \(k) class names")
        }
        let labelWidth = Double(min(16, classNames.map(\.count).max() ?? 0)) * 7.5 + 20
        let cell = max(34, min(64, 520 / Double(k)))
        let left = labelWidth + 40
        let top = 64.0
        let grid = cell * Double(k)
        let width = left + grid + 90
        let height = top + grid + labelWidth * 0.75 + 40
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: width / 2, y: 30, size: 17, anchor: .middle, color: "#222222", bold: true)
        for row in 0..<k {
            let total = Double(counts[row].reduce(0, +))
            for column in 0..<k {
                let share = total == 0 ? 0 : Double(counts[row][column]) / total
                let x = left + cell * Double(column)
                let y = top + cell * Double(row)
                canvas.rect(x: x, y: y, width: cell, height: cell, fill: colormap.hex(share), stroke: "#ffffff")
                let ink = colormap.ink(share)
                canvas.text(String(counts[row][column]), x: x + cell / 2, y: y + cell / 2 + (cell >= 44 ? 0 : 4),
                            size: cell >= 44 ? 13 : 11, anchor: .middle, color: ink, bold: row == column)
                if cell >= 44, total > 0 {
                    canvas.text(percent(share), x: x + cell / 2, y: y + cell / 2 + 15, size: 9.5, anchor: .middle, color: ink)
                }
            }
            canvas.text(classNames[row], x: left - 8, y: top + cell * (Double(row) + 0.5) + 4, size: 12, anchor: .end)
            let labelX = left + cell * (Double(row) + 0.5) + 4
            canvas.text(classNames[row], x: labelX, y: top + grid + 10, size: 12, anchor: .end, rotate: -45)
        }
        canvas.text("true class", x: 18, y: top + grid / 2, size: 13, anchor: .middle, rotate: -90)
        canvas.text("predicted class", x: left + grid / 2, y: height - 12, size: 13, anchor: .middle)
        ColorBar(colormap: colormap, lower: "0%", upper: "100%")
            .draw(on: &canvas, x: left + grid + 24, y: top, height: grid)
        return canvas.render()
    }
}
