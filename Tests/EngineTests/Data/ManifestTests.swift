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

/// Manifest corpora: CSV files listing tiny WAVs written by the Engine, in temporary folders.
final class ManifestTests: XCTestCase {
    /// A temporary folder with tiny WAVs at `wavs` and the manifest text at `labels.csv`.
    private func tree(_ csv: String, wavs: [String] = ["a.wav", "b.wav", "c.wav", "d.wav"],
                      csvName: String = "labels.csv") throws -> TemporaryTree {
        let tree = try TemporaryTree()
        for (index, wav) in wavs.enumerated() {
            try tree.add(wav)
            // Distinct recordings: identical ones would be marked as copies (Clip.identicalTo).
            try AudioSignal(samples: [0, 0.5, -0.5, 0.25 + 0.01 * Float(index)], sampleRate: 8000).write(path: tree.path(wav))
        }
        try tree.add(csvName, contents: Data(csv.utf8))
        return tree
    }

    private func index(_ tree: TemporaryTree, _ options: CorpusOptions = CorpusOptions(),
                       csvName: String = "labels.csv") throws -> IndexedCorpus {
        try Corpus.manifest.index(root: tree.path(csvName), options: options)
    }

    func testAllColumnsInAnyOrderWithExtraColumns() throws {
        let tree = try tree("""
            notes,Speaker,path,EMOTION,gender,intensity,statement,corpus
            x,s1,a.wav,ANG,F,high,kids,mine
            y,s1,b.wav,happiness,female,,,
            z,s2,c.wav,neutral,m,low,dogs,mine
            w,s3,d.wav,sad,,,,

            """)
        let dataset = try index(tree).dataset
        XCTAssertEqual(dataset.clips[0], Clip(path: tree.path("a.wav"), emotion: .angry, speaker: "s1", gender: .female,
                                              intensity: "high", statement: "kids", corpus: "mine"))
        XCTAssertEqual(dataset.clips[1], Clip(path: tree.path("b.wav"), emotion: .happy, speaker: "s1", gender: .female,
                                              corpus: "labels"))
        XCTAssertEqual(dataset.clips.map(\.gender), [.female, .female, .male, .unknown])
        XCTAssertEqual(dataset.classes, [.neutral, .happy, .sad, .angry])
        XCTAssertEqual(dataset.labels, [3, 1, 0, 2])
        XCTAssertEqual(dataset.column(.speaker), ["mine/s1", "labels/s1", "mine/s2", "labels/s3"])
        XCTAssertEqual(dataset.counts(by: .gender).map(\.count), [2, 1, 1])
    }

    func testOnlyRequiredColumnsAndCorpusNamedAfterTheFile() throws {
        let tree = try tree("path,emotion\na.wav,fear\nb.wav,ps\n", csvName: "my recordings.v2.csv")
        let clips = try index(tree, csvName: "my recordings.v2.csv").dataset.clips
        XCTAssertEqual(clips.map(\.emotion), [.fearful, .surprised])
        XCTAssertEqual(clips.map(\.speaker), ["unknown", "unknown"])
        XCTAssertEqual(clips.map(\.gender), [.unknown, .unknown])
        XCTAssertEqual(clips.map(\.corpus), ["my recordings.v2", "my recordings.v2"])
        XCTAssertEqual(clips.map(\.intensity), [nil, nil])
        XCTAssertEqual(try Corpus.named("CSV"), .manifest)
        XCTAssertEqual(try Corpus.named("Manifest"), .manifest)
    }

    func testQuotingBOMCRLFAndBlankLines() throws {
        let csv = "\u{FEFF}path,emotion,statement,speaker\r\n"
            + "\"a.wav\",angry,\"Kids are talking, by the door\",\"s \"\"one\"\"\"\r\n"
            + "b.wav,\"sad\",\"two\r\nlines\",s2\r\n"
            + "  c.wav , Neutral ,plain,s3\r\n"
            + "\r\n,,,\r\n\r\n"
        let tree = try tree(csv)
        let clips = try index(tree).dataset.clips
        XCTAssertEqual(clips.map(\.path), [tree.path("a.wav"), tree.path("b.wav"), tree.path("c.wav")])
        XCTAssertEqual(clips.map(\.statement), ["Kids are talking, by the door", "two\r\nlines", "plain"])
        XCTAssertEqual(clips.map(\.speaker), ["s \"one\"", "s2", "s3"])
        XCTAssertEqual(clips.map(\.emotion), [.angry, .sad, .neutral])
    }

    func testCSVRecordLinesCountQuotedLineBreaksAndEveryLineEnding() throws {
        let records = try CSVRecords.parse("h1,h2\r\"x\ny\",1\n\nlast,\"\"")
        XCTAssertEqual(records, [CSVRecord(fields: ["h1", "h2"], line: 1), CSVRecord(fields: ["x\ny", "1"], line: 2),
                                 CSVRecord(fields: ["last", ""], line: 5)])
        XCTAssertEqual(try CSVRecords.parse("\u{FEFF}a,b\r\n\r\n\"c\r\n\",d\r\ne,f"),
                       [CSVRecord(fields: ["a", "b"], line: 1), CSVRecord(fields: ["c\r\n", "d"], line: 3),
                        CSVRecord(fields: ["e", "f"], line: 5)])
        XCTAssertEqual(try CSVRecords.parse(""), [])
        XCTAssertThrowsError(try CSVRecords.parse("a,b\n\"open,b\nc,d\n")) { error in
            XCTAssertEqual(error as? CSVSyntaxError, CSVSyntaxError(line: 2, reason: "a quoted field is never closed"))
        }
    }

    func testRelativeAbsoluteAndSubfolderPaths() throws {
        let tree = try tree("", wavs: ["clips/a.wav", "b.wav", "meta/c.wav"])
        let csv = "path,emotion\n../clips/a.wav,angry\n\(tree.path("b.wav")),sad\nc.wav,happy\n"
        try tree.add("meta/labels.csv", contents: Data(csv.utf8))
        let clips = try index(tree, csvName: "meta/labels.csv").dataset.clips
        XCTAssertEqual(clips.map(\.path), [tree.path("meta/../clips/a.wav"), tree.path("b.wav"), tree.path("meta/c.wav")])
        XCTAssertTrue(clips.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
    }

    func testOptionsSelectMergeOrderAndSkip() throws {
        let tree = try tree("""
            path,emotion,speaker
            a.wav,calm,s1
            b.wav,neutral,s1
            c.wav,surprised,s2
            d.wav,angry,s2
            missing.wav,angry,s3
            a.wav,joyful,s3
            """)
        XCTAssertThrowsMessage(try index(tree), contains: ["labels.csv:6", "missing.wav"])
        let result = try index(tree, CorpusOptions(onUnparsable: .skip, mergeCalmIntoNeutral: true, order: .notebook))
        XCTAssertEqual(result.dataset.classes, [.surprised, .neutral, .angry])
        XCTAssertEqual(result.dataset.labels, [1, 1, 0, 2])
        XCTAssertEqual(result.skipped.map(\.path), [tree.path("labels.csv") + ":6", tree.path("labels.csv") + ":7"])
        XCTAssertTrue(result.skipped[1].reason.contains("'joyful'"), result.skipped[1].reason)
        XCTAssertTrue(result.skipped[1].description.hasPrefix("skipped \(tree.path("labels.csv")):7: column 'emotion'"))

        let selected = try index(tree, CorpusOptions(onUnparsable: .skip, emotions: [.angry, .calm]))
        XCTAssertEqual(selected.dataset.clips.map(\.path), [tree.path("a.wav"), tree.path("d.wav")])
        XCTAssertEqual(selected.dataset.labels, [1, 0])
    }

    func testErrorsNameFileLineAndColumn() throws {
        let csv = "labels.csv"
        let cases: [(String, [String])] = [
            ("path,label\na.wav,angry\n", ["\(csv):1:", "no column 'emotion'", "'label'"]),
            ("path,emotion,path\na.wav,angry,b.wav\n", ["\(csv):1:", "'path' appears twice"]),
            ("path,emotion\na.wav,angry\nb.wav,joyful\n", ["\(csv):3:", "column 'emotion' (field 2)", "unknown emotion 'joyful'"]),
            ("path,emotion\r\na.wav,angry\r\n\r\nb.wav,joyful\r\n", ["\(csv):4:", "unknown emotion 'joyful'"]),
            ("path,emotion\na.wav,\n", ["\(csv):2:", "column 'emotion' (field 2): empty"]),
            ("emotion,gender,path\nangry,x,a.wav\n", ["\(csv):2:", "column 'gender' (field 2)", "unknown gender 'x'"]),
            ("path,emotion\n\nnope.wav,sad\n", ["\(csv):3:", "column 'path' (field 1)", "no such audio file", "nope.wav"]),
            ("path,emotion\nclips,sad\n", ["\(csv):2:", "is a folder"]),
            ("path,emotion\n,sad\n", ["\(csv):2:", "column 'path' (field 1): empty"]),
            ("path,emotion,speaker\na.wav,angry,s1\nb.wav,sad\n", ["\(csv):3:", "2 field(s), but the header has 3"]),
            ("path,emotion\nb.wav,sad,x\n", ["\(csv):2:", "3 field(s)", "quote fields that contain commas"]),
            ("path,emotion\n\"a.wav\"x,sad\n", ["\(csv):2:", "text after the closing quote"]),
            ("path,emotion\na.wav,sad\n\"b.wav,sad\n", ["\(csv):3:", "never closed"]),
            ("path,emotion\n\n\n", [csv, "empty manifest", "no rows"]),
            ("\u{FEFF}\r\n\r\n", [csv, "empty manifest", "header row"]),
        ]
        for (text, fragments) in cases {
            let tree = try tree(text, wavs: ["a.wav", "b.wav", "clips/x.wav"])
            XCTAssertThrowsMessage(try index(tree), contains: fragments)
        }
        let tree = try tree("path,emotion\na.wav,angry\n")
        XCTAssertThrowsMessage(try index(tree, csvName: "other.csv"), contains: ["other.csv", "no such file"])
        try tree.add("latin1.csv", contents: Data([0x70, 0x61, 0x74, 0x68, 0xE9, 0x0A]))
        XCTAssertThrowsMessage(try index(tree, csvName: "latin1.csv"), contains: ["latin1.csv", "not UTF-8"])
        XCTAssertThrowsMessage(try Corpus.named("manifst"), contains: ["manifest"])
    }

    /// Random CSV-ish text must give records or a DataError, never a trap.
    func testRandomTextNeverTraps() throws {
        let pieces = [",", "\"", "\"\"", "\r", "\n", "\r\n", "\u{FEFF}", " ", "a.wav", "angry", "m", "é", "path", "emotion"]
        let generator = RandomGenerator(seed: 11)
        let tree = try tree("")
        for _ in 0..<2000 {
            let count = Int(generator.nextUInt64() % 24)
            let body = (0..<count).map { _ in pieces[Int(generator.nextUInt64() % UInt64(pieces.count))] }.joined()
            for text in [body, "path,emotion,gender\n" + body] {
                try tree.add("labels.csv", contents: Data(text.utf8))
                do {
                    _ = try index(tree, CorpusOptions(onUnparsable: generator.nextUInt64() % 2 == 0 ? .skip : .fail))
                } catch is DataError {
                    continue
                }
            }
        }
    }

    func testGenderSpellings() {
        XCTAssertEqual(["M", "male", "Man", "f", "FEMALE", "woman", "", "unknown", "n/a"].map(Gender.named),
                       [.male, .male, .male, .female, .female, .female, .unknown, .unknown, .unknown])
        XCTAssertNil(Gender.named("x"))
    }

    func testSpeakerIndependentSplitOfAManifestCorpus() throws {
        let wavs = (0..<12).map { "clip\($0).wav" }
        let rows = wavs.enumerated().map { "\($1),\(["angry", "sad", "happy"][$0 % 3]),spk\($0 / 3),\($0 / 3 % 2 == 0 ? "m" : "f")" }
        let tree = try tree("path,emotion,speaker,gender\n" + rows.joined(separator: "\n") + "\n", wavs: wavs)
        let dataset = try index(tree).dataset
        XCTAssertEqual(Set(dataset.clips.map(\.speaker)).count, 4)
        XCTAssertEqual(dataset.counts(by: .gender).map(\.count), [6, 6])
        let split = try Splits.speakerIndependent(dataset, validationCount: 1, testCount: 1, seed: 7)
        let speakers = [split.train, split.validation, split.test].map { Set($0.map { dataset.clips[$0].speakerKey }) }
        XCTAssertEqual(speakers.map(\.count), [2, 1, 1])
        XCTAssertTrue(speakers[0].isDisjoint(with: speakers[1]) && speakers[0].isDisjoint(with: speakers[2])
                      && speakers[1].isDisjoint(with: speakers[2]))
        XCTAssertEqual(split.train.count + split.validation.count + split.test.count, 12)
    }
}
