import HTTPCore

// libFuzzer entry point: no main here, libFuzzer brings its own (-sanitize=fuzzer).
//
// Every input is parsed whole, split in two at a point derived from the input, and (when
// short) one byte at a time, under the default limits and under tiny ones that put every
// limit within the fuzzer's reach. All runs of one configuration must agree exactly;
// a disagreement or a crash is a finding.

/// What a parser made of the input: parts with adjacent body pieces joined, then the error.
struct Outcome: Equatable {
    var parts: [HTTPRequestPart] = []
    var error: HTTPParseError?
}

func parse(_ reads: [UnsafeRawBufferPointer], limits: HTTPParserLimits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    for read in reads {
        parser.feed(read)
        do {
            while let part = try parser.next() {
                if case .body(let bytes) = part {
                    precondition(!bytes.isEmpty, "empty body piece")
                    if case .body(let previous)? = outcome.parts.last {
                        outcome.parts[outcome.parts.count - 1] = .body(previous + bytes)
                        continue
                    }
                }
                outcome.parts.append(part)
            }
        } catch {
            outcome.error = error
            // Poisoned: the same error again, whatever comes next.
            precondition((try? parser.next()) == nil, "parser revived after \(error)")
            return outcome
        }
    }
    do {
        try parser.finish()
        precondition(parser.isBetweenMessages && !parser.isInHead, "finish() accepted a partial message")
    } catch {
        outcome.error = error
    }
    return outcome
}

let tinyLimits = HTTPParserLimits(
    maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 6, maxBodyBytes: 48,
    maxChunkSizeHexDigits: 3, maxChunkLineBytes: 32)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    // A split point that depends on the content, so the fuzzer can steer it.
    var hash: UInt = 5381
    for byte in bytes { hash = hash &* 33 &+ UInt(byte) }
    let split = count == 0 ? 0 : Int(hash % UInt(count + 1))

    for limits in [HTTPParserLimits(), tinyLimits] {
        let whole = parse([bytes], limits: limits)
        let halves = parse(
            [UnsafeRawBufferPointer(rebasing: bytes[..<split]), UnsafeRawBufferPointer(rebasing: bytes[split...])],
            limits: limits)
        if whole != halves {
            fatalError("split at \(split) disagrees: whole \(whole), halves \(halves)")
        }
        if count <= 256 {
            let single = parse(bytes.indices.map { UnsafeRawBufferPointer(rebasing: bytes[$0...$0]) }, limits: limits)
            if whole != single {
                fatalError("byte by byte disagrees: whole \(whole), bytes \(single)")
            }
        }
        for part in whole.parts {
            if case .head(let head) = part {
                // Every status the server could answer with is a real one.
                _ = HTTPResponseStatus(code: whole.error?.status ?? 200).reasonPhrase
                precondition(head.version == .http1_0 || head.version == .http1_1)
            }
        }
        if let error = whole.error {
            precondition([400, 413, 414, 431, 501, 505].contains(error.status))
            precondition(!error.detail.isEmpty)
        }
    }
    return 0
}
