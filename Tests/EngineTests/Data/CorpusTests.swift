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

final class CorpusTests: XCTestCase {
    func testRAVDESSSpeechAndSongFields() throws {
        let tree = try TemporaryTree(files: [
            "Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-08-02-02-01-01.wav",
            "Actor_02/03-01-02-02-01-02-02.wav", "Actor_02/03-02-05-01-02-01-02.wav",
            "Actor_02/notes.txt", ".DS_Store",
        ])
        let clips = try Corpus.ravdess.index(root: tree.root).dataset
        XCTAssertEqual(clips.count, 4)
        XCTAssertEqual(clips.classes, [.neutral, .calm, .angry, .surprised])
        let surprised = try XCTUnwrap(clips.clips.first { $0.path.hasSuffix("03-01-08-02-02-01-01.wav") })
        XCTAssertEqual(surprised, Clip(path: tree.path("Actor_01/03-01-08-02-02-01-01.wav"), emotion: .surprised,
                                       speaker: "01", gender: .male, intensity: "strong", statement: "dogs", corpus: "RAVDESS"))
        let calm = try XCTUnwrap(clips.clips.first { $0.emotion == .calm })
        XCTAssertEqual(calm.gender, .female)
        XCTAssertEqual(calm.speaker, "02")

        let speechOnly = try Corpus.ravdess.index(root: tree.root, options: CorpusOptions(ravdessChannels: [.speech]))
        XCTAssertEqual(speechOnly.dataset.count, 3)
        let songOnly = try Corpus.ravdess.index(root: tree.root, options: CorpusOptions(ravdessChannels: [.song]))
        XCTAssertEqual(songOnly.dataset.clips.map(\.emotion), [.angry])
    }

    func testRAVDESSNotebookOrderAndCalmMerge() throws {
        let tree = try TemporaryTree(files: (1...8).map { "Actor_03/03-01-0\($0)-01-01-01-03.wav" })
        let notebook = try Corpus.ravdess.index(root: tree.root, options: CorpusOptions(order: .notebook)).dataset
        XCTAssertEqual(notebook.classes, [.surprised, .neutral, .calm, .happy, .sad, .angry, .fearful, .disgust])
        var byCode: [String: Int] = [:]
        for (row, clip) in notebook.clips.enumerated() {
            byCode[String((clip.path as NSString).lastPathComponent.split(separator: "-")[2])] = notebook.labels[row]
        }
        XCTAssertEqual(byCode["08"], 0)
        XCTAssertEqual(byCode["01"], 1)
        let vocabulary = try Corpus.ravdess.index(root: tree.root).dataset
        XCTAssertEqual(vocabulary.labels, Array(0..<8), "default order = RAVDESS code − 1")

        let merged = try Corpus.ravdess.index(root: tree.root, options: CorpusOptions(mergeCalmIntoNeutral: true)).dataset
        XCTAssertEqual(merged.classes.count, 7)
        XCTAssertFalse(merged.classes.contains(.calm))
        XCTAssertEqual(merged.counts(by: .emotion).first { $0.value == "neutral" }?.count, 2)
    }

    func testBadNamesAreReportedByNameOrSkipped() throws {
        let tree = try TemporaryTree(files: [
            "Actor_01/03-01-01-01-01-01-01.wav",
            "Actor_01/03-01-09-01-01-01-01.wav",   // emotion 09 does not exist
            "Actor_01/03-01-01-02-01-01-01.wav",   // neutral has no strong intensity
            "Actor_01/03-01-03-01-01-01-02.wav",   // actor 02 in Actor_01
            "Actor_01/03-02-07-01-01-01-01.wav",   // song has no disgust
            "Actor_01/hello.wav",
        ])
        XCTAssertThrowsMessage(try Corpus.ravdess.index(root: tree.root), contains: ["03-01-01-02-01-01-01.wav", "intensity 02"])
        let result = try Corpus.ravdess.index(root: tree.root, options: CorpusOptions(onUnparsable: .skip))
        XCTAssertEqual(result.dataset.count, 1)
        XCTAssertEqual(Set(result.skipped.map { ($0.path as NSString).lastPathComponent }),
                       ["03-01-09-01-01-01-01.wav", "03-01-01-02-01-01-01.wav", "03-01-03-01-01-01-02.wav",
                        "03-02-07-01-01-01-01.wav", "hello.wav"])
        XCTAssertTrue(result.skipped.allSatisfy { !$0.reason.isEmpty })
        XCTAssertThrowsMessage(try Corpus.ravdess.index(root: tree.path("nowhere")), contains: ["nowhere"])
        let empty = try TemporaryTree(files: ["readme.txt"])
        XCTAssertThrowsMessage(try Corpus.tess.index(root: empty.root), contains: ["no audio files"])
    }

    func testCREMAD() throws {
        let tree = try TemporaryTree(files: ["1001_DFA_ANG_XX.wav", "1002_IEO_HAP_HI.wav", "1091_WSI_FEA_LO.wav",
                                             "1091_WSI_XYZ_LO.wav"])
        XCTAssertThrowsMessage(try Corpus.cremad.index(root: tree.root), contains: ["1091_WSI_XYZ_LO.wav", "XYZ"])
        let result = try Corpus.cremad.index(root: tree.root, options: CorpusOptions(onUnparsable: .skip))
        let clips = result.dataset.clips
        XCTAssertEqual(clips.map(\.emotion), [.angry, .happy, .fearful])
        XCTAssertEqual(clips.map(\.gender), [.male, .female, .female])
        XCTAssertEqual(clips.map(\.intensity), ["unspecified", "high", "low"])
        XCTAssertEqual(clips.map(\.statement), ["DFA", "IEO", "WSI"])
        XCTAssertEqual(clips.map(\.speaker), ["1001", "1002", "1091"])
        XCTAssertEqual(CREMADNaming.femaleActors.count, 43)
    }

    func testTESSMapsPleasantSurprise() throws {
        let tree = try TemporaryTree(files: ["OAF_angry/OAF_back_angry.wav", "YAF_pleasant_surprised/YAF_dog_ps.wav",
                                             "YAF_fear/YAF_bath_fear.wav", "OAF_x/BOB_back_angry.wav"])
        let result = try Corpus.tess.index(root: tree.root, options: CorpusOptions(onUnparsable: .skip))
        XCTAssertEqual(result.dataset.clips.map(\.emotion), [.angry, .fearful, .surprised])
        XCTAssertEqual(result.dataset.clips.map(\.speaker), ["OAF", "YAF", "YAF"])
        XCTAssertEqual(result.dataset.clips.map(\.statement), ["back", "bath", "dog"])
        XCTAssertTrue(result.dataset.clips.allSatisfy { $0.gender == .female })
        XCTAssertEqual(result.skipped.count, 1)
    }

    func testSAVEEPrefixesAndSpeakerFolders() throws {
        let names = ["a01": Emotion.angry, "d02": .disgust, "f03": .fearful, "h04": .happy, "n05": .neutral,
                     "sa06": .sad, "su07": .surprised]
        let tree = try TemporaryTree(files: names.keys.map { "DC_\($0).wav" } + ["KL/sa03.wav", "JE_x01.wav"])
        XCTAssertThrowsMessage(try Corpus.savee.index(root: tree.root), contains: ["JE_x01.wav", "'x'"])
        let clips = try Corpus.savee.index(root: tree.root, options: CorpusOptions(onUnparsable: .skip)).dataset.clips
        XCTAssertEqual(clips.count, 8)
        for clip in clips where clip.speaker == "DC" {
            XCTAssertEqual(names[clip.statement ?? ""], clip.emotion, clip.path)
        }
        let folderClip = try XCTUnwrap(clips.first { $0.speaker == "KL" })
        XCTAssertEqual(folderClip.emotion, .sad)
        XCTAssertTrue(clips.allSatisfy { $0.gender == .male })
    }

    func testEmoDBLettersAndSpeakerGenders() throws {
        let letters: [String: Emotion] = ["W": .angry, "L": .boredom, "E": .disgust, "A": .fearful, "F": .happy,
                                          "T": .sad, "N": .neutral]
        let tree = try TemporaryTree(files: letters.keys.map { "wav/03a01\($0)a.wav" } + ["wav/08b10Wb.wav", "wav/16a05Tc.wav",
                                                                                          "wav/04a01Fa.wav"])
        XCTAssertThrowsMessage(try Corpus.emodb.index(root: tree.root), contains: ["04a01Fa.wav", "speaker 04"])
        let clips = try Corpus.emodb.index(root: tree.root, options: CorpusOptions(onUnparsable: .skip)).dataset.clips
        XCTAssertEqual(clips.count, 9)
        for clip in clips where clip.speaker == "03" {
            let letter = String(Array((clip.path as NSString).lastPathComponent)[5])
            XCTAssertEqual(letters[letter], clip.emotion, clip.path)
            XCTAssertEqual(clip.gender, .male)
            XCTAssertEqual(clip.statement, "a01")
        }
        XCTAssertEqual(clips.first { $0.speaker == "08" }?.gender, .female)
        XCTAssertEqual(clips.first { $0.speaker == "16" }?.emotion, .sad)
        XCTAssertEqual(EmoDBNaming.genders.values.filter { $0 == .female }.count, 5)
    }

    func testFolderLayoutUsesFolderNames() throws {
        // The notebooks' Combined/Emotions folder spells one class "Suprised": read as surprised.
        let tree = try TemporaryTree(files: ["Emotions/Angry/a.wav", "Emotions/Disgusted/b.wav", "Emotions/Fearful/c.wav",
                                             "Emotions/Surprised/d.wav", "Emotions/Suprised/e.wav", "Emotions/Contempt/f.wav"])
        XCTAssertThrowsMessage(try Corpus.folders.index(root: tree.root), contains: ["f.wav", "Contempt", "surprised"])
        let dataset = try Corpus.named("Combined").index(root: tree.path("Emotions"),
                                                         options: CorpusOptions(onUnparsable: .skip)).dataset
        XCTAssertEqual(dataset.clips.map(\.emotion), [.angry, .disgust, .fearful, .surprised, .surprised])
    }

    func testCombiningCorporaAndSelectingClasses() throws {
        let ravdess = try TemporaryTree(files: ["Actor_01/03-01-05-01-01-01-01.wav", "Actor_02/03-01-02-01-01-01-02.wav"])
        let tess = try TemporaryTree(files: ["OAF_back_angry.wav", "YAF_dog_ps.wav"])
        let both = try Dataset.concatenating([Corpus.ravdess.index(root: ravdess.root).dataset,
                                              Corpus.tess.index(root: tess.root).dataset])
        XCTAssertEqual(both.classes, [.calm, .angry, .surprised])
        XCTAssertEqual(both.counts(by: .corpus).map(\.count), [2, 2])
        let angryOnly = try both.selecting([.angry, .calm])
        XCTAssertEqual(angryOnly.labels, [0, 1, 0])
        let options = CorpusOptions(emotions: [.surprised, .angry])
        XCTAssertEqual(try Corpus.tess.index(root: tess.root, options: options).dataset.labels, [1, 0])
    }

    func testRealRAVDESSSample() throws {
        let root = try SharedRAVDESS.root()
        let actors = try SharedRAVDESS.actors(in: root)
        let dataset = try Corpus.ravdess.index(root: root).dataset
        // Every RAVDESS actor speaks 60 clips: neutral at one intensity (4), the other 7 emotions at two (8 each).
        XCTAssertEqual(dataset.count, 60 * actors.count)
        XCTAssertEqual(dataset.classes.count, 8)
        XCTAssertEqual(Set(dataset.clips.map(\.speaker)), Set(actors))
        let males = actors.filter { Int($0)! % 2 == 1 }.count, females = actors.count - males   // odd actors are male
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: dataset.counts(by: .gender).map { ($0.value, $0.count) }),
                       ["male": 60 * males, "female": 60 * females].filter { $0.value > 0 })
        XCTAssertEqual(dataset.counts(by: .emotion).map(\.count), [4 * actors.count] + Array(repeating: 8 * actors.count, count: 7))
        XCTAssertEqual(dataset.counts(by: .intensity).map(\.value), ["normal", "strong"])
    }
}
