import EngineFormats
import EngineTensor
import EngineAudio

/// One CSV record: its fields and the (1-based) line it starts on.
struct CSVRecord: Equatable {
    package var fields: [String]
    package var line: Int
}

/// A CSV syntax fault and the line it was found on.
struct CSVSyntaxError: Error, Equatable {
    package var line: Int
    package var reason: String
}

/// Splits CSV text (RFC 4180) into records: comma-separated fields; a field starting with `"` is
/// quoted and may hold commas, line breaks and `""` for a quote; lines end in CRLF, LF or CR; a
/// leading UTF-8 byte order mark is dropped; records whose fields are all blank are left out.
/// Works on Unicode scalars, since Swift's `Character` fuses CR LF into one.
struct CSVRecords {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private var records: [CSVRecord] = []
    private var fields: [String] = []
    private var field = String.UnicodeScalarView()
    private var state = State.fieldStart
    private var line = 1
    private var recordLine = 1

    /// The records of `text`, or the first syntax fault.
    package static func parse(_ text: String) throws -> [CSVRecord] {
        var parser = CSVRecords()
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var previousWasCR = false
        for scalar in scalars {
            let crlfTail = scalar == "\n" && previousWasCR
            previousWasCR = scalar == "\r"
            try parser.feed(scalar, crlfTail: crlfTail)
            if scalar == "\r" || (scalar == "\n" && !crlfTail) { parser.line += 1 }
        }
        return try parser.finish()
    }

    /// Takes one scalar; `crlfTail` marks the LF of a CR LF pair, whose CR already ended the line.
    private mutating func feed(_ scalar: Unicode.Scalar, crlfTail: Bool) throws {
        let isLineEnd = scalar == "\r" || scalar == "\n"
        switch state {
        case .quoted:
            if scalar == "\"" { state = .quoteInQuoted } else { field.append(scalar) }
        case .quoteInQuoted:
            if scalar == "\"" {
                field.append(scalar)
                state = .quoted
            } else if scalar == "," {
                endField()
            } else if isLineEnd {
                endRecord()
            } else {
                throw CSVSyntaxError(line: line, reason: "text after the closing quote of a field (write a quote inside a quoted field as \"\")")
            }
        case .fieldStart, .unquoted:
            if crlfTail { return }
            if scalar == "\"" && state == .fieldStart {
                state = .quoted
            } else if scalar == "," {
                endField()
            } else if isLineEnd {
                endRecord()
            } else {
                field.append(scalar)
                state = .unquoted
            }
        }
    }

    private mutating func finish() throws -> [CSVRecord] {
        if state == .quoted {
            throw CSVSyntaxError(line: recordLine, reason: "a quoted field is never closed")
        }
        endRecord()
        return records
    }

    private mutating func endField() {
        fields.append(String(field))
        field = String.UnicodeScalarView()
        state = .fieldStart
    }

    /// Ends the record at a line end (or the end of the text); the next one starts on the next line.
    private mutating func endRecord() {
        endField()
        if fields.contains(where: { !$0.allSatisfy(\.isWhitespace) }) {
            records.append(CSVRecord(fields: fields, line: recordLine))
        }
        fields = []
        recordLine = line + 1
    }
}
