import HTTPCore
import Testing

/// What a parser made of some input: its parts, with adjacent body pieces joined, and the error
/// that ended it, if any (from `next()` or from `finish()`).
struct ParseOutcome: Equatable, CustomStringConvertible {
    var parts: [HTTPRequestPart] = []
    var error: HTTPParseError?

    var heads: [HTTPRequestHead] {
        parts.compactMap { part -> HTTPRequestHead? in
            if case .head(let head) = part { return head }
            return nil
        }
    }

    /// All body bytes, across pieces and messages.
    var body: [UInt8] {
        parts.flatMap { part -> [UInt8] in
            if case .body(let bytes) = part { return bytes }
            return []
        }
    }

    var description: String {
        let rendered = parts.map { part -> String in
            switch part {
            case .head(let head): "head(\(head.method) \(head.target) \(head.version) \(head.bodyLength))"
            case .body(let bytes): "body(\(bytes.count) bytes)"
            case .end: "end"
            }
        }
        return "\(rendered) error: \(error.map { "\($0)" } ?? "none")"
    }
}

/// swift-nio's ByteToMessageDecoderVerifier, for our parser: the outcome must not depend on how
/// the bytes were split into reads.
enum ParseVerifier {
    /// Feeds `reads` in order, draining `next()` after each, then calls `finish()`.
    static func run(_ reads: [ArraySlice<UInt8>], limits: HTTPParserLimits = .init()) -> ParseOutcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome()
        for (number, read) in reads.enumerated() {
            // Alternate the two feed entry points so both are exercised on every input.
            if number.isMultiple(of: 2) {
                read.withUnsafeBytes { parser.feed($0) }
            } else {
                parser.feed(read)
            }
            do {
                while let part = try parser.next() {
                    append(part, to: &outcome)
                }
            } catch {
                outcome.error = error
                expectPoisoned(&parser, with: error)
                return outcome
            }
        }
        do {
            try parser.finish()
            // A clean end leaves nothing in progress behind.
            #expect(parser.isBetweenMessages)
            #expect(!parser.isInHead)
        } catch {
            outcome.error = error
            expectPoisoned(&parser, with: error)
        }
        return outcome
    }

    static func append(_ part: HTTPRequestPart, to outcome: inout ParseOutcome) {
        guard case .body(let bytes) = part else {
            outcome.parts.append(part)
            return
        }
        #expect(!bytes.isEmpty, "the parser must never emit an empty body piece")
        if case .body(let previous)? = outcome.parts.last {
            outcome.parts[outcome.parts.count - 1] = .body(previous + bytes)
        } else {
            outcome.parts.append(part)
        }
    }

    /// After an error, every later call must throw the same error and feeding must not revive it.
    static func expectPoisoned(_ parser: inout HTTPRequestParser, with error: HTTPParseError) {
        parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: error) { try parser.next() }
        #expect(throws: error) { try parser.finish() }
        #expect(!parser.isBetweenMessages)
    }
}

/// Parses `input` whole, one byte at a time, split in two at every point (every `splitStride`th
/// point for the long replayed inputs), and (when it parsed cleanly) pipelined three times in one
/// read; all must agree. Returns the whole-input outcome.
@discardableResult
func verifyParse(
    _ input: [UInt8],
    limits: HTTPParserLimits = .init(),
    pipelined: Bool = true,
    splitStride: Int = 1,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    let whole = ParseVerifier.run([input[...]], limits: limits)

    let byteByByte = ParseVerifier.run(input.indices.map { input[$0...$0] }, limits: limits)
    #expect(byteByByte == whole, "byte by byte differs from whole", sourceLocation: sourceLocation)

    for split in Array(stride(from: 0, through: input.count, by: max(splitStride, 1))) + [input.count] {
        let outcome = ParseVerifier.run([input[..<split], input[split...]], limits: limits)
        if outcome != whole {
            Issue.record("split at \(split) gives \(outcome), whole gives \(whole)", sourceLocation: sourceLocation)
            break
        }
    }

    // A clean input ending in a lone CR (an unfinished empty line) is fine at EOF but would glue
    // onto the next copy, so it is not pipelined.
    if pipelined, input.last != 0x0D, !isEndOfInputError(whole.error) {
        let tripled = ParseVerifier.run([(input + input + input)[...]], limits: limits)
        // Clean: three times the parts. Refused: the first copy decides, the rest is never read.
        let expected = whole.error == nil ? ParseOutcome(parts: whole.parts + whole.parts + whole.parts) : whole
        #expect(tripled == expected, "pipelined x3 differs", sourceLocation: sourceLocation)
    }
    return whole
}

func verifyParse(
    _ input: String, limits: HTTPParserLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    verifyParse(Array(input.utf8), limits: limits, sourceLocation: sourceLocation)
}

/// Errors raised by `finish()` depend on where the input stops, so they do not survive
/// pipelining (the next copy completes the truncated message).
func isEndOfInputError(_ error: HTTPParseError?) -> Bool {
    guard case .badRequest(let reason)? = error else { return false }
    return reason.hasPrefix("connection closed")
}

/// Checks that `input` is refused with exactly `error`, however it is split.
func expectRefusal(
    _ input: String, _ error: HTTPParseError, limits: HTTPParserLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let outcome = verifyParse(Array(input.utf8), limits: limits, sourceLocation: sourceLocation)
    #expect(outcome.error == error, sourceLocation: sourceLocation)
}

/// The single head of a request that must parse cleanly.
func parseHead(
    _ input: String, limits: HTTPParserLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPRequestHead? {
    let outcome = verifyParse(Array(input.utf8), limits: limits, sourceLocation: sourceLocation)
    #expect(outcome.error == nil, sourceLocation: sourceLocation)
    #expect(outcome.heads.count == 1, sourceLocation: sourceLocation)
    return outcome.heads.first
}
