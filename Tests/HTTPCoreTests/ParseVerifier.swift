import Dispatch
import HTTPCore
import Testing

/// What a parser made of some input: its parts, with adjacent body pieces joined, and the error
/// that ended it, if any (from `next()` or from `finish()`).
struct ParseOutcome: Equatable, Sendable, CustomStringConvertible {
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
///
/// The work is plain computation that reports problems as strings; the async `verifyParse`
/// runs it on one serial queue, off Swift Concurrency's cooperative pool. Otherwise a few
/// seconds of exhaustive splitting would occupy the pool (two threads on a two-core machine)
/// and starve the end-to-end tests' servers that run in the same `swift test` process.
enum ParseVerifier {
    static let queue = DispatchQueue(label: "HTTPCoreTests.ParseVerifier")

    /// Feeds `reads` in order, draining `next()` after each, then calls `finish()`; checks the
    /// parser's invariants on the way.
    static func run(
        _ reads: [ArraySlice<UInt8>], limits: HTTPParserLimits = .init()
    ) -> (outcome: ParseOutcome, problems: [String]) {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome()
        var problems: [String] = []
        for (number, read) in reads.enumerated() {
            // Alternate the two feed entry points so both are exercised on every input.
            if number.isMultiple(of: 2) {
                read.withUnsafeBytes { parser.feed($0) }
            } else {
                parser.feed(read)
            }
            do {
                while let part = try parser.next() {
                    append(part, to: &outcome, problems: &problems)
                }
            } catch {
                outcome.error = error
                checkPoisoned(&parser, with: error, problems: &problems)
                return (outcome, problems)
            }
        }
        do {
            try parser.finish()
            // A clean end leaves nothing in progress behind.
            if !parser.isBetweenMessages || parser.isInHead {
                problems.append("finish() succeeded but the parser is not between messages")
            }
        } catch {
            outcome.error = error
            checkPoisoned(&parser, with: error, problems: &problems)
        }
        return (outcome, problems)
    }

    static func append(_ part: HTTPRequestPart, to outcome: inout ParseOutcome, problems: inout [String]) {
        guard case .body(let bytes) = part else {
            outcome.parts.append(part)
            return
        }
        if bytes.isEmpty { problems.append("the parser emitted an empty body piece") }
        if case .body(let previous)? = outcome.parts.last {
            outcome.parts[outcome.parts.count - 1] = .body(previous + bytes)
        } else {
            outcome.parts.append(part)
        }
    }

    /// After an error, every later call must throw the same error and feeding must not revive it.
    static func checkPoisoned(_ parser: inout HTTPRequestParser, with error: HTTPParseError, problems: inout [String]) {
        parser.feed(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        do {
            let part = try parser.next()
            problems.append("poisoned parser returned \(String(describing: part)) instead of throwing \(error)")
        } catch let again {
            if again != error { problems.append("poisoned parser threw \(again), first threw \(error)") }
        }
        do {
            try parser.finish()
            problems.append("poisoned parser's finish() did not throw")
        } catch let again {
            if again != error { problems.append("poisoned finish() threw \(again), first threw \(error)") }
        }
        if parser.isBetweenMessages { problems.append("poisoned parser claims to be between messages") }
    }

    /// Whole, byte by byte, split in two at every `splitStride`th point (and at the end), and,
    /// when the input parsed cleanly or was refused before its end, pipelined three times.
    static func verify(
        _ input: [UInt8], limits: HTTPParserLimits, pipelined: Bool, splitStride: Int
    ) -> (whole: ParseOutcome, problems: [String]) {
        let (whole, wholeProblems) = run([input[...]], limits: limits)
        var problems = wholeProblems

        let (byteByByte, byteProblems) = run(input.indices.map { input[$0...$0] }, limits: limits)
        problems += byteProblems
        if byteByByte != whole {
            problems.append("byte by byte gives \(byteByByte), whole gives \(whole)")
        }

        for split in Array(stride(from: 0, through: input.count, by: max(splitStride, 1))) + [input.count] {
            let (outcome, splitProblems) = run([input[..<split], input[split...]], limits: limits)
            problems += splitProblems
            if outcome != whole {
                problems.append("split at \(split) gives \(outcome), whole gives \(whole)")
                break
            }
        }

        // A clean input ending in a lone CR (an unfinished empty line) is fine at EOF but would
        // glue onto the next copy; an input cut short is completed by the next copy. Neither is
        // pipelined.
        if pipelined, input.last != 0x0D, !isEndOfInputError(whole.error) {
            let (tripled, tripledProblems) = run([(input + input + input)[...]], limits: limits)
            problems += tripledProblems
            // Clean: three times the parts. Refused: the first copy decides, the rest is unread.
            let expected = whole.error == nil ? ParseOutcome(parts: whole.parts + whole.parts + whole.parts) : whole
            if tripled != expected {
                problems.append("pipelined x3 gives \(tripled), expected \(expected)")
            }
        }
        return (whole, problems)
    }
}

/// Errors raised by `finish()` depend on where the input stops, so they do not survive
/// pipelining (the next copy completes the truncated message).
func isEndOfInputError(_ error: HTTPParseError?) -> Bool {
    guard case .badRequest(let reason)? = error else { return false }
    return reason.hasPrefix("connection closed")
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
) async -> ParseOutcome {
    let (whole, problems) = await withCheckedContinuation { continuation in
        ParseVerifier.queue.async {
            continuation.resume(
                returning: ParseVerifier.verify(input, limits: limits, pipelined: pipelined, splitStride: splitStride))
        }
    }
    for problem in problems {
        Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
    }
    return whole
}

func verifyParse(
    _ input: String, limits: HTTPParserLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation
) async -> ParseOutcome {
    await verifyParse(Array(input.utf8), limits: limits, sourceLocation: sourceLocation)
}

/// Checks that `input` is refused with exactly `error`, however it is split.
func expectRefusal(
    _ input: String, _ error: HTTPParseError, limits: HTTPParserLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    let outcome = await verifyParse(Array(input.utf8), limits: limits, sourceLocation: sourceLocation)
    #expect(outcome.error == error, sourceLocation: sourceLocation)
}

/// The single head of a request that must parse cleanly.
func parseHead(
    _ input: String, limits: HTTPParserLimits = .init(), sourceLocation: SourceLocation = #_sourceLocation
) async -> HTTPRequestHead? {
    let outcome = await verifyParse(Array(input.utf8), limits: limits, sourceLocation: sourceLocation)
    #expect(outcome.error == nil, sourceLocation: sourceLocation)
    #expect(outcome.heads.count == 1, sourceLocation: sourceLocation)
    return outcome.heads.first
}
