import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// Counts elements by name while checking that the document is well-formed XML.
private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var texts: [String] = []
    private var inText = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        inText = name == "text"
        if inText { texts.append("") }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { inText = false }
    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { texts[texts.count - 1] += string } }
}

final class PlotTests: XCTestCase {
    /// Parses the SVG; set SERSCRIPT_PLOT_DIR to keep the files for a look.
    private func parse(_ plot: Plot, name: String, file: StaticString = #filePath, line: UInt = #line) throws -> ElementCounter {
        let svg = try plot.svg()
        if let folder = ProcessInfo.processInfo.environment["SERSCRIPT_PLOT_DIR"] {
            try svg.write(toFile: folder + "/\(name).svg", atomically: true, encoding: .utf8)
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(name) is not well-formed: \(String(describing: parser.parserError))", file: file, line: line)
        XCTAssertEqual(counter.counts["svg"], 1, file: file, line: line)
        return counter
    }

    func testBarChartDrawsOneLabelledBarPerCategory() throws {
        let counts: [(value: String, count: Int)] = [("neutral", 96), ("calm", 192), ("happy", 192), ("sad", 192),
                                                     ("angry", 192), ("fearful", 192), ("disgust", 192), ("surprised", 192)]
        let result = try parse(BarChart(title: "Examples per emotion", counts: counts, xLabel: "emotion"), name: "bar")
        XCTAssertEqual(result.counts["rect"], 1 + counts.count, "background + one per bar")
        XCTAssertTrue(result.texts.contains("surprised"))
        XCTAssertEqual(result.texts.filter { $0 == "192" }.count, 7)
        XCTAssertThrowsMessage(try BarChart(title: "t", categories: ["a"], values: [1, 2]).svg(), contains: ["1 categories", "2 values"])
        let long = BarChart(title: "Long & <odd> names", categories: (1...12).map { "category number \($0)" },
                            values: (1...12).map(Double.init))
        XCTAssertTrue(try parse(long, name: "bar-long").texts.contains("Long & <odd> names"))
    }

    func testLineChartHasOneCurveAndLegendEntryPerSeries() throws {
        let train = LineSeries(name: "train loss", values: (1...30).map { 2 * exp(-Double($0) / 8) + 0.1 })
        let validation = LineSeries(name: "validation loss", values: (1...30).map { 2 * exp(-Double($0) / 10) + 0.3 })
        let result = try parse(LineChart(title: "Loss", series: [train, validation], yLabel: "loss"), name: "line")
        XCTAssertEqual(result.counts["polyline"], 2)
        XCTAssertTrue(result.texts.contains("validation loss"))
        XCTAssertThrowsMessage(try LineChart(title: "t", series: [LineSeries(name: "s", x: [1], y: [])]).svg(), contains: ["'s'"])
        // A diverged run's curves: non-finite points are left out, and a chart with none says so.
        let diverged = try parse(LineChart(title: "t", series: [LineSeries(name: "s", values: [1, .nan, 0.5, .infinity])]),
                                 name: "line-nonfinite")
        XCTAssertEqual(diverged.counts["circle"], 2)
        let empty = try parse(LineChart(title: "t", series: [LineSeries(name: "s", values: [.nan])]), name: "line-empty")
        XCTAssertTrue(empty.texts.contains("no finite values to plot"))
    }

    func testConfusionMatrixShowsEveryCount() throws {
        let names = ["surprised", "neutral", "calm", "happy", "sad", "angry", "fearful", "disgust"]
        let counts = (0..<8).map { row in (0..<8).map { column in row == column ? 15 + row : (row + column) % 3 } }
        let result = try parse(ConfusionMatrixPlot(classNames: names, counts: counts), name: "confusion")
        XCTAssertEqual(result.counts["rect"].map { $0 >= 1 + 64 }, true)
        for row in 0..<8 { XCTAssertTrue(result.texts.contains(String(15 + row))) }
        XCTAssertEqual(result.texts.filter { $0 == "surprised" }.count, 2, "row and column label")
        XCTAssertThrowsMessage(try ConfusionMatrixPlot(classNames: ["a", "b"], counts: [[1]]).svg(), contains: ["2 × 2"])
    }

    func testBreakdownHeatmapShowsWrongAndCorrectPerValue() throws {
        let breakdown = try CorrectnessBreakdown(column: "intensity", values: ["normal", "strong", "strong", "normal", "strong"],
                                                 labels: [0, 1, 2, 3, 4], predictions: [0, 1, 0, 0, 4])
        let result = try parse(BreakdownHeatmapPlot(title: "Correctness by intensity", breakdown: breakdown), name: "breakdown")
        // normal: 1 correct, 1 wrong; strong: 2 correct, 1 wrong. Cells wrong-normal, wrong-strong, correct-normal, correct-strong.
        for label in ["wrong", "correct", "normal", "strong", "intensity", "Correctness by intensity", "2", "50.0%", "66.7%", "33.3%"] {
            XCTAssertTrue(result.texts.contains(label), "lacks \(label): \(result.texts)")
        }
        XCTAssertGreaterThanOrEqual(result.counts["rect"] ?? 0, 4)
        let empty = try CorrectnessBreakdown(column: "gender", values: [], labels: [], predictions: [])
        XCTAssertThrowsMessage(try BreakdownHeatmapPlot(title: "t", breakdown: empty).svg(), contains: ["no values"])
    }

    func testSpectrogramAndWaveform() throws {
        let (rows, columns) = (128, 200)
        var values = [Float](repeating: -80, count: rows * columns)
        for row in 0..<rows { for column in 0..<columns where (row + column / 4) % 32 < 6 { values[row * columns + column] = -10 } }
        let spectrogram = SpectrogramPlot(title: "Log-mel spectrogram", values: values, rows: rows, columns: columns,
                                          secondsPerColumn: 256.0 / 48000)
        let result = try parse(spectrogram, name: "spectrogram")
        XCTAssertEqual(result.counts["image"], 1)
        XCTAssertTrue(result.texts.contains("-80 dB"))
        XCTAssertTrue(result.texts.contains("-10 dB"))
        XCTAssertThrowsMessage(try SpectrogramPlot(title: "s", values: [1, 2, 3], rows: 2, columns: 2).png(), contains: ["2 × 2"])

        let samples = (0..<48000).map { Float(sin(Double($0) * 0.05) * exp(-Double($0) / 20000)) }
        let wave = try parse(WaveformPlot(title: "Waveform", samples: samples, sampleRate: 48000), name: "waveform")
        XCTAssertEqual(wave.counts["polygon"], 1)
        XCTAssertThrowsMessage(try WaveformPlot(title: "w", samples: [], sampleRate: 1).svg(), contains: ["0 at"])
    }

    func testColormapsHitTheirEndColours() {
        XCTAssertEqual(Colormap.viridis.hex(0), "#440154")
        XCTAssertEqual(Colormap.viridis.hex(1), "#fde725")
        XCTAssertEqual(Colormap.magma.hex(-3), "#000004")
        XCTAssertEqual(Colormap.magma.hex(.nan), "#000004")
        XCTAssertEqual(Colormap.blues.hex(1), "#08306b")
    }
}
