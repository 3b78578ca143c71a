import Engine
import Foundation

extension BuiltinRegistry {
    /// Data plots, written as SVG into the run folder and shown in its report.
    func registerPlots() {
        domain = "Plot"
        function("plot_bar", [Parameter("data"), Parameter("title", ""), Parameter("file", nil), Parameter("xlabel", ""), Parameter("ylabel", "count")],
                 doc: "A bar chart of a dict of name → number (e.g. `ds.count(\"emotion\")`), saved as SVG to `file` (relative paths land in the run folder; default `plots/<title>.svg`). Returns the path written.") { a in
            let pairs = try a.dict("data").pairs.map { key, value -> (String, Double) in
                guard let number = value.asDouble else { throw BuiltinError("plot_bar: values must be numbers, got \(value.typeName) for \(key)") }
                return (key.value.text, number)
            }
            let chart = BarChart(title: try a.string("title"), categories: pairs.map(\.0), values: pairs.map(\.1),
                                 xLabel: try a.string("xlabel"), yLabel: try a.string("ylabel"))
            return try save(chart, a)
        }
        function("plot_lines", [Parameter("series"), Parameter("title", ""), Parameter("file", nil), Parameter("xlabel", ""), Parameter("ylabel", ""), Parameter("x", nil)],
                 doc: "Line chart of a dict of name → list of numbers (one line each, x = 1, 2, … unless `x` gives the shared x values, e.g. frequencies), saved as SVG like `plot_bar`.") { a in
            let x = a.isNil("x") ? nil : try numbers(try a.sequence("x"), "x")
            let series = try a.dict("series").pairs.map { key, value -> LineSeries in
                guard let items = value.elements else { throw BuiltinError("plot_lines: each series must be a list of numbers, got \(value.typeName)") }
                let y = try numbers(items, key.value.text)
                guard let x else { return LineSeries(name: key.value.text, values: y) }
                guard x.count == y.count else { throw BuiltinError("plot_lines: series '\(key.value.text)' has \(y.count) values but x has \(x.count)") }
                return LineSeries(name: key.value.text, x: x, y: y)
            }
            return try save(LineChart(title: try a.string("title"), series: series, xLabel: try a.string("xlabel"), yLabel: try a.string("ylabel")), a)
        }
        function("plot_spectrogram", [Parameter("spec"), Parameter("title", ""), Parameter("file", nil), Parameter("cmap", "magma")],
                 doc: "A Spectrogram (mel, MFCC, STFT …) as a heat map with a time axis and colour bar, low rows at the bottom, saved as SVG (with an embedded PNG) like `plot_bar`; `cmap` is magma, viridis or blues.") { a in
            let spectrogram = try a.object("spec", as: SpectrogramValue.self, named: "Spectrogram")
            let matrix = spectrogram.matrix
            let colormap = Colormap(rawValue: try a.choice("cmap", Colormap.allCases.map(\.rawValue))) ?? .magma
            return try save(SpectrogramPlot(title: try a.string("title"), values: matrix.values, rows: matrix.rows, columns: matrix.columns,
                                            secondsPerColumn: spectrogram.secondsPerFrame, yLabel: spectrogram.rowName,
                                            unit: spectrogram.isDecibels ? "dB" : "", colormap: colormap), a)
        }
        function("plot_waveform", [Parameter("audio"), Parameter("title", ""), Parameter("file", nil)],
                 doc: "An Audio value's waveform against time in seconds, saved as SVG like `plot_bar`.") { a in
            let signal = try a.object("audio", as: AudioValue.self, named: "Audio").signal
            return try save(WaveformPlot(title: try a.string("title"), samples: signal.samples, sampleRate: Double(signal.sampleRate)), a)
        }
    }
}

/// The numbers of a plot_lines list, naming the series whose element is not a number.
private func numbers(_ items: [Value], _ name: String) throws -> [Double] {
    try items.map { item in
        guard let number = item.asDouble else { throw BuiltinError("plot_lines: values of '\(name)' must be numbers, got \(item.typeName)") }
        return number
    }
}

/// Saves `plot` to the `file` argument in the run folder; without one, to `plots/<title as a file
/// name>.svg`, numbered `-2`, `-3`, … when an earlier plot of the run took that name (plots in a loop).
func save(_ plot: Plot, _ a: Arguments) throws -> Value {
    var file = a.isNil("file") ? "" : try a.string("file")
    if file.isEmpty {
        let slug = plot.title.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        file = a.interpreter.output.unusedPlotName(slug.isEmpty ? "plot" : String(slug))
    }
    return .string(try a.interpreter.output.save(plot: plot, file: file))
}
