import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A linear mapping from data values to pixels, with "nice" tick positions (1, 2, 5 × 10ⁿ steps).
struct LinearAxis {
    let lower: Double
    let upper: Double
    let pixelStart: Double
    let pixelEnd: Double
    let ticks: [Double]

    /// An axis spanning at least `minimum…maximum`, widened to whole tick steps when `snap`.
    init(minimum: Double, maximum: Double, pixels: (Double, Double), tickCount: Int = 6, snap: Bool = true) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if high - low < 1e-12 { (low, high) = (low - 0.5, high + 0.5) }
        // Each end divided first: the difference of ±1e308 overflows to infinity.
        let intervals = Double(max(1, tickCount - 1))
        let step = Self.niceStep(high / intervals - low / intervals)
        if snap {
            low = (low / step).rounded(.down) * step
            high = (high / step).rounded(.up) * step
        }
        // Ticks counted from the first, not accumulated: far from zero (1e17 ± 1) adding a small
        // step may not move the value. The cap ends a range too narrow for its magnitude.
        let first = (low / step).rounded(.up) * step
        var ticks: [Double] = []
        for index in 0..<4 * (tickCount + 2) {
            let tick = first + Double(index) * step
            guard tick <= high + step * 1e-9 else { break }
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
        }
        self.lower = low
        self.upper = high
        self.pixelStart = pixels.0
        self.pixelEnd = pixels.1
        self.ticks = ticks
    }

    func pixel(_ value: Double) -> Double {
        pixelStart + (value - lower) / (upper - lower) * (pixelEnd - pixelStart)
    }

    /// Tick label with as many decimals as the step needs.
    func label(_ value: Double) -> String {
        let step = ticks.count > 1 && ticks[1] > ticks[0] ? ticks[1] - ticks[0] : 1
        let decimals = max(0, min(6, Int((-log10(step)).rounded(.up))))
        if abs(value) >= 10000 || (abs(value) < 1e-3 && value != 0) { return String(format: "%.2g", value) }
        return String(format: "%.\(decimals)f", value)
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * magnitude
    }
}

/// Shared look of every chart: size, margins, palette, frame, title and axis labels.
struct ChartFrame {
    var width: Double = 720
    var height: Double = 440
    var left: Double = 72
    var right: Double = 24
    var top: Double = 52
    var bottom: Double = 64

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    /// matplotlib's "tab10" colours, the palette SER notebooks' plots use.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    static let grid = "#e5e5e5"
    static let axis = "#444444"

    /// Title, axis titles, horizontal grid lines and y ticks.
    func decorate(_ canvas: inout SVGCanvas, title: String, xLabel: String, yLabel: String, yAxis: LinearAxis?) {
        canvas.text(title, x: width / 2, y: 30, size: 17, anchor: .middle, color: "#222222", bold: true)
        canvas.text(xLabel, x: (plotLeft + plotRight) / 2, y: height - 16, size: 13, anchor: .middle)
        canvas.text(yLabel, x: 20, y: (plotTop + plotBottom) / 2, size: 13, anchor: .middle, rotate: -90)
        if let yAxis {
            for tick in yAxis.ticks {
                let y = yAxis.pixel(tick)
                canvas.line(plotLeft, y, plotRight, y, stroke: Self.grid)
                canvas.text(yAxis.label(tick), x: plotLeft - 8, y: y + 4, size: 11, anchor: .end)
            }
        }
        canvas.line(plotLeft, plotBottom, plotRight, plotBottom, stroke: Self.axis)
        canvas.line(plotLeft, plotTop, plotLeft, plotBottom, stroke: Self.axis)
    }
}
