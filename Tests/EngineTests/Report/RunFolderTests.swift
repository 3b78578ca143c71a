import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

final class RunFolderTests: XCTestCase {
    func testRunFolderWritesEveryArtifactAndTheReportShowsThem() throws {
        let root = try TemporaryTree()
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let run = try RunFolder(root: root.path("runs"), name: "cnn transformer", started: start)
        let twin = try RunFolder(root: root.path("runs"), name: "cnn transformer", started: start)
        XCTAssertNotEqual(run.path, twin.path)
        XCTAssertTrue(twin.path.hasSuffix("-2"), twin.path)
        XCTAssertTrue((run.path as NSString).lastPathComponent.hasPrefix("cnn_transformer-2023"))

        try run.writeParams(["lr": 0.01, "batch_size": 32, "model": "parallel_cnn_transformer", "mel": ["n_mels": 128]])
        for epoch in 1...3 {
            try run.appendHistory(["epoch": Double(epoch), "train_loss": 2.0 / Double(epoch), "val_accuracy": 0.25 * Double(epoch)])
        }
        XCTAssertThrowsMessage(try run.appendHistory(["epoch": 4]), contains: ["history.csv", "train_loss"])
        let history = try String(contentsOfFile: run.file("history.csv"), encoding: .utf8)
        XCTAssertEqual(history, "epoch,train_loss,val_accuracy\n1,2,0.25\n2,1,0.5\n3,0.6666666666666666,0.75\n")

        let report = try ClassificationReport(labels: [0, 1, 1], predictions: [0, 1, 0], classNames: ["happy", "sad"])
        try run.writeMetrics(report.json)
        let plotPath = try run.save(plot: ConfusionMatrixPlot(report: report), name: "confusion")
        try run.save(plot: LineChart(title: "Loss per epoch", series: [LineSeries(name: "train", values: [2, 1, 0.67])]), name: "loss")
        try run.save(text: "path,true\nx.wav,sad\n", name: "predictions.csv")
        XCTAssertTrue(FileManager.default.fileExists(atPath: plotPath))
        try run.writeReport(title: "Parallel CNN-Transformer")

        let html = try String(contentsOfFile: run.file("index.html"), encoding: .utf8)
        for fragment in ["<h1>Parallel CNN-Transformer</h1>", "<h2>Parameters</h2>", "<th>lr</th><td class=\"num\">0.01</td>",
                         "<h2>Metrics</h2>", "<th>accuracy</th><td class=\"num\">0.6667</td>", "<h2>Plots</h2>",
                         "<img src=\"plots/confusion.svg\"", "<figcaption>Loss per epoch</figcaption>", "<h2>History</h2>",
                         "<th>train_loss</th>", "<a href=\"predictions.csv\">", "<th>n_mels</th>"] {
            XCTAssertTrue(html.contains(fragment), "index.html lacks \(fragment)")
        }
        XCTAssertEqual(try JSONValue.parse(String(contentsOfFile: run.file("params.json"), encoding: .utf8)).objectValue?["lr"], 0.01)
    }

    /// Every sound file of the run is a player (with its caption when given); other files stay links.
    func testReportPlaysAudioFiles() throws {
        let root = try TemporaryTree()
        let run = try RunFolder(path: root.path("run"), name: "audio")
        run.record(file: "augmented/noise.wav")
        run.record(audio: "audio/test/angry-1-as-sad.wav", caption: "true angry, predicted sad (wrong)")
        run.record(file: "predictions.csv")
        try run.writeReport()
        let html = try String(contentsOfFile: run.file("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<audio controls preload=\"none\" src=\"augmented/noise.wav\"></audio><figcaption>augmented/noise.wav</figcaption>"), html)
        XCTAssertTrue(html.contains("src=\"audio/test/angry-1-as-sad.wav\"></audio><figcaption>true angry, predicted sad (wrong)</figcaption>"), html)
        XCTAssertTrue(html.contains("<a href=\"predictions.csv\">"), html)
        XCTAssertFalse(html.contains("<a href=\"augmented/noise.wav\">"), "audio is a player, not a link")
    }

    func testUnwritableRootIsNamed() throws {
        let tree = try TemporaryTree(files: ["blocker"])
        XCTAssertThrowsMessage(try RunFolder(root: tree.path("blocker"), name: "x"), contains: ["blocker"])
    }
}
