import Engine
import Foundation
import XCTest

/// `examples/ravdess_recipe.sers` learns: the recipe's own code path (16 kHz log-mel, dilated TCN,
/// ensemble, `cross_validate` over random hold-outs) on a small generated demo corpus, through the
/// built binary, with accuracy far above chance. No timing is asserted.
final class RecipeLearningTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testRecipeLearnsTheDemoCorpusWellAboveChance() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") else {
            throw XCTSkip("espeak-ng is not installed (scripts/setup.sh installs it)")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-recipe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = root.appendingPathComponent("corpus")
        try DemoCorpus.generate(into: corpus, options: DemoCorpusOptions(seed: 1, speakers: 4))
        let folder = root.appendingPathComponent("run")
        let script = Self.repository.appendingPathComponent("examples/ravdess_recipe.sers").path
        let settings = ["data_dir=\(corpus.path)", "seeds=[1]", "members=2", "epochs=12"]
        let run = try runSerscript([script] + settings.flatMap { ["--set", $0] } + ["--out", folder.path], in: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("member 2: test accuracy"), run.stdout)

        let metrics = try JSONValue.parse(try String(contentsOf: folder.appendingPathComponent("metrics.json"), encoding: .utf8))
        guard case .number(let accuracy)? = metrics.objectValue?["random_accuracy_mean"],
              case .number(let chance)? = metrics.objectValue?["chance"] else {
            return XCTFail("metrics.json lacks random_accuracy_mean or chance: \(metrics)")
        }
        print("recipe learning test: test accuracy \(accuracy), chance \(chance)")
        XCTAssertEqual(chance, 1.0 / 8, accuracy: 1e-12)
        XCTAssertGreaterThanOrEqual(accuracy, 3 * chance, "held-out accuracy must be at least 3× chance: \(run.stdout)")
        for file in ["random.csv", "random.md", "plots/random.svg", "index.html", "models/ravdess_recipe.bundle.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "no \(file)")
        }
    }
}
