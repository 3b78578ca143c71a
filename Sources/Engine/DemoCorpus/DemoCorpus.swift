import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// A synthetic emotional-speech corpus made with espeak-ng, so that every example runs without a
/// download. See docs/demo-corpus.md for how emotions are rendered and what accuracy to expect.
public enum DemoCorpus {
    /// Name of the file, written last, that marks a folder as a complete corpus.
    public static let manifestName = "manifest.json"

    /// The clips `options` describe, in a fixed order, with their paths relative to the corpus folder.
    public static func plan(_ options: DemoCorpusOptions) throws -> [(path: String, clip: DemoClipInfo)] {
        try options.validate()
        var result: [(String, DemoClipInfo)] = []
        for speaker in DemoSpeaker.all.prefix(options.speakers) {
            for emotion in options.renderedEmotions {
                var take = 0
                for intensity in emotion == .neutral ? [1] : [1, 2] {
                    for statement in options.statements {
                        for repetition in 1...options.repetitions {
                            take += 1
                            let clip = DemoClip(speaker: speaker, emotion: emotion, intensity: intensity,
                                                statement: statement, repetition: repetition)
                            let path = DemoNaming.relativePath(of: clip, naming: options.naming, take: take)
                            result.append((path, DemoClipInfo(clip)))
                        }
                    }
                }
            }
        }
        return result
    }

    /// Synthesizes the corpus into `directory` (created if needed) on `options.workers` threads,
    /// calling `progress` after each file, then writes `manifest.json` with every clip's size. Clips
    /// of an earlier generation there that this one does not include are removed first (other
    /// audio files make it refuse), and the manifest is rewritten without sizes, so an interrupted
    /// run never looks complete yet the next run knows which clips were its own.
    public static func generate(into directory: URL, options: DemoCorpusOptions = DemoCorpusOptions(),
                                progress: (@Sendable (DemoCorpusProgress) -> Void)? = nil) throws {
        let clips = try plan(options)
        let espeak = try ESpeak.executable()
        try ESpeak.checkVoices(Array(DemoSpeaker.all.prefix(options.speakers)), executable: espeak)
        let fileManager = FileManager.default
        let manifest = directory.appendingPathComponent(manifestName)
        let previous = (try? Data(contentsOf: manifest)).flatMap { try? JSONDecoder().decode(DemoCorpusManifest.self, from: $0) }
        try DemoCorpusFolder.clearStaleClips(in: directory, previous: previous.flatMap { try? plan($0.options).map(\.path) } ?? [],
                                             planned: clips.map(\.path))
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            try writeManifest(DemoCorpusManifest(options: options, clips: clips.count), to: manifest)
            let folders = Set(clips.map { URL(fileURLWithPath: $0.path).deletingLastPathComponent().relativePath })
            for folder in folders where folder != "." {
                try fileManager.createDirectory(at: directory.appendingPathComponent(folder),
                                                withIntermediateDirectories: true)
            }
        } catch {
            throw DemoCorpusError.cannotWrite(path: directory.path, reason: "\(error)")
        }
        let queue = WorkQueue(total: clips.count, progress: progress)
        DispatchQueue.concurrentPerform(iterations: min(options.workers, clips.count)) { _ in
            while let index = queue.next() {
                let (path, info) = clips[index]
                do {
                    let samples = try ClipRenderer.render(ClipRecipe(clip: info.clip, seed: options.seed),
                                                          espeak: espeak)
                    try SoundFile.write(path: directory.appendingPathComponent(path).path, samples: samples,
                                        sampleRate: ClipRenderer.sampleRate, format: .wav16)
                    queue.finished(path)
                } catch {
                    queue.fail(error)
                }
            }
        }
        if let error = queue.firstError { throw error }
        if options.naming == .cremad { try writeCremaDemographics(into: directory, options: options) }
        var finished = DemoCorpusManifest(options: options, clips: clips.count)
        finished.files = try DemoCorpusFolder.sizes(in: directory, planned: clips.map(\.path))
        try writeManifest(finished, to: manifest)
    }

    /// True when `directory` holds a complete corpus generated with exactly `options`: its manifest
    /// says so and every clip is there with the size it was written with (none deleted or truncated).
    public static func isComplete(_ directory: URL, options: DemoCorpusOptions) -> Bool {
        let url = directory.appendingPathComponent(manifestName)
        guard let data = try? Data(contentsOf: url),
              let manifest = try? JSONDecoder().decode(DemoCorpusManifest.self, from: data),
              let files = manifest.files, let planned = try? plan(options).map(\.path) else { return false }
        var expected = DemoCorpusManifest(options: options, clips: planned.count)
        expected.files = files
        return manifest == expected && DemoCorpusFolder.clipsIntact(in: directory, recorded: files, planned: planned)
    }

    private static func writeManifest(_ manifest: DemoCorpusManifest, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(manifest).write(to: url, options: .atomic)
        } catch {
            throw DemoCorpusError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }

    /// CREMA-D keeps speakers' sex in `VideoDemographics.csv`; write the columns indexers read.
    private static func writeCremaDemographics(into directory: URL, options: DemoCorpusOptions) throws {
        var csv = "ActorID,Age,Sex,Race,Ethnicity\n"
        for speaker in DemoSpeaker.all.prefix(options.speakers) {
            csv += "\(DemoNaming.cremaSpeaker(speaker)),30,\(speaker.isFemale ? "Female" : "Male"),"
                + "Unknown,Not Hispanic\n"
        }
        let url = directory.appendingPathComponent("VideoDemographics.csv")
        do {
            try csv.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw DemoCorpusError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }
}

/// What a generated clip is, for callers that want the labels without parsing names.
public struct DemoClipInfo: Sendable {
    let clip: DemoClip
    init(_ clip: DemoClip) { self.clip = clip }
    /// RAVDESS actor number (odd male, even female).
    public var actor: Int { clip.speaker.actor }
    /// espeak-ng voice of the speaker.
    public var voice: String { clip.speaker.voice }
    /// The emotion rendered.
    public var emotion: DemoEmotion { clip.emotion }
    /// 1 normal, 2 strong.
    public var intensity: Int { clip.intensity }
    /// RAVDESS statement number.
    public var statement: Int { clip.statement }
    /// Repetition number, 1-based.
    public var repetition: Int { clip.repetition }
}

/// The content of `manifest.json`: what was generated, so a folder can be recognised as complete.
struct DemoCorpusManifest: Codable, Equatable {
    package var generator = "serscript demo-corpus"
    package var format = 2
    package var options: DemoCorpusOptions
    var voices: [String]
    package var clips: Int
    package var sampleRate = ClipRenderer.sampleRate
    /// Each clip's path and byte count, written once all are done (nil while generating).
    package var files: [String: Int]?

    init(options: DemoCorpusOptions, clips: Int) {
        self.options = options
        self.voices = DemoSpeaker.all.prefix(options.speakers).map(\.voice)
        self.clips = clips
    }
}

/// Hands out clip indices to worker threads, counts progress and keeps the first error.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let progress: (@Sendable (DemoCorpusProgress) -> Void)?
    private var nextIndex = 0, completed = 0
    private(set) var firstError: Error?

    init(total: Int, progress: (@Sendable (DemoCorpusProgress) -> Void)?) {
        self.total = total
        self.progress = progress
    }

    /// The next clip to render, or nil when all are taken or a worker failed.
    package func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard firstError == nil, nextIndex < total else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    package func finished(_ path: String) {
        lock.lock(); defer { lock.unlock() }
        completed += 1
        progress?(DemoCorpusProgress(completed: completed, total: total, file: path))
    }

    package func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if firstError == nil { firstError = error }
    }
}
