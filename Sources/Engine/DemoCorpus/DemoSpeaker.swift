import EngineTensor
import EngineAudio

/// One synthetic speaker: an espeak-ng voice (language + variant) and its gender.
public struct DemoSpeaker: Equatable, Sendable {
    /// RAVDESS-style actor number, 1-based; odd actors are male, even female.
    public var actor: Int
    /// espeak-ng voice, `language+variant`.
    public var voice: String
    /// True for the female voices.
    public var isFemale: Bool { actor % 2 == 0 }

    /// The variant part of `voice` (after `+`).
    package var variant: String { voice.split(separator: "+").last.map(String.init) ?? voice }

    /// The twelve voices measured in the feasibility study, interleaved male / female so that
    /// any prefix of the list is gender-balanced.
    public static let all: [DemoSpeaker] = {
        let male = ["en-us+m3", "en+m1", "en-gb-x-rp+m7", "en-us+klatt2", "en-gb-scotland+m2", "en-029+m4"]
        let female = ["en-us+f3", "en+f1", "en-gb-x-rp+f2", "en-us+f4", "en-gb-scotland+f5", "en-029+belinda"]
        return zip(male, female).enumerated().flatMap { index, pair in
            [DemoSpeaker(actor: 2 * index + 1, voice: pair.0), DemoSpeaker(actor: 2 * index + 2, voice: pair.1)]
        }
    }()
}

/// The two RAVDESS statements.
enum DemoStatement {
    /// Words of statement 1 or 2, without final punctuation; nil for other numbers.
    package static func text(of number: Int) -> String? {
        switch number {
        case 1: return "Kids are talking by the door"
        case 2: return "Dogs are sitting by the door"
        default: return nil
        }
    }

    /// A one-word tag of the statement for layouts that name clips by a word.
    static func word(of number: Int) -> String { number == 1 ? "kids" : "dogs" }
}
