import CReadline
import Foundation
import Runtime

/// GNU readline through its callback interface, so that Ctrl-C at the prompt can clear the line
/// (the SIGINT handler only sets `Interrupt`; the poll loop notices and resets readline).
/// Keeps persistent history in `~/.serscript_history` and completes with `Interpreter.completions`.
final class LineEditor {
    enum Input {
        case line(String)
        case interrupted
        case endOfFile
    }

    private let historyPath: String

    init() {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        historyPath = home + "/.serscript_history"
        rl_catch_signals = 0
        rl_readline_name = UnsafePointer(strdup("serscript"))
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t\n()[]{},+-*/%=<>!;\"'"))
        rl_attempted_completion_function = { text, _, _ in
            rl_attempted_completion_over = 1
            rl_completion_append_character = 0   // no space after `xs` so `.` can follow
            guard let text, let complete = LineEditor.completer else { return nil }
            LineEditor.candidates = complete(String(cString: text))
            LineEditor.nextCandidate = 0
            return rl_completion_matches(text) { _, _ in
                guard LineEditor.nextCandidate < LineEditor.candidates.count else { return nil }
                LineEditor.nextCandidate += 1
                return strdup(LineEditor.candidates[LineEditor.nextCandidate - 1])
            }
        }
        using_history()
        read_history(historyPath)
        _ = Interrupt.isRequested   // initialise the flag before the handler can touch it
        signal(SIGINT) { _ in Interrupt.request() }
    }

    /// Supplies completions for the word before the cursor.
    nonisolated(unsafe) static var completer: ((String) -> [String])?
    nonisolated(unsafe) private static var candidates: [String] = []
    nonisolated(unsafe) private static var nextCandidate = 0
    nonisolated(unsafe) private static var received: Input?

    /// Reads one line; `.interrupted` when Ctrl-C was pressed at the prompt.
    func read(prompt: String) -> Input {
        LineEditor.received = nil
        Interrupt.clear()
        rl_callback_handler_install(prompt) { line in
            rl_callback_handler_remove()
            if let line {
                LineEditor.received = .line(String(cString: line))
                free(line)
            } else {
                LineEditor.received = .endOfFile
            }
        }
        while LineEditor.received == nil {
            // Checked before each wait, and the wait is short, so a Ctrl-C that lands while
            // readline is busy (not inside poll) is still noticed promptly.
            if Interrupt.isRequested {
                Interrupt.clear()
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_replace_line("", 0)
                rl_crlf()
                rl_callback_handler_remove()
                return .interrupted
            }
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready > 0 { rl_callback_read_char() } else if ready < 0 && errno != EINTR { return .endOfFile }
        }
        return LineEditor.received ?? .endOfFile
    }

    /// Remembers a finished input (once, not per line) in the history file.
    func remember(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        add_history(entry)
        write_history(historyPath)
        history_truncate_file(historyPath, 2000)
    }
}
