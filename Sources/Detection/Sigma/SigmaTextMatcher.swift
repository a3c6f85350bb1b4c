#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hot-path form of a field item whose values are all plain text patterns (most of
/// SigmaHQ): every literal in one flat byte buffer with its shape, so matching walks plain
/// memory with no enum payload copies (no reference counting per pattern). Wildcard globs
/// keep their token form.
final class SigmaTextMatcher: Sendable {
    private enum Shape: UInt8 { case equals, contains, prefix, suffix, glob, anything }

    private let shapes: [UInt8]
    private let cased: [Bool]
    private let starts: [Int32]
    private let lengths: [Int32]
    private let bytes: [UInt8]
    private let globs: [[SigmaGlobToken]]  // by pattern index; empty unless glob
    let count: Int

    init?(_ patterns: [SigmaPattern]) {
        var shapes: [UInt8] = [], cased: [Bool] = [], starts: [Int32] = [], lengths: [Int32] = []
        var bytes: [UInt8] = [], globs: [[SigmaGlobToken]] = []
        for p in patterns {
            guard case .text(let t) = p else { return nil }
            let shape: Shape
            switch t.shape {
            case .equals: shape = .equals
            case .contains: shape = .contains
            case .prefix: shape = .prefix
            case .suffix: shape = .suffix
            case .glob: shape = .glob
            case .anything: shape = .anything
            }
            shapes.append(shape.rawValue)
            cased.append(t.cased)
            starts.append(Int32(bytes.count))
            lengths.append(Int32(t.literal.count))
            bytes += t.literal
            globs.append(shape == .glob ? t.tokens : [])
        }
        self.shapes = shapes
        self.cased = cased
        self.starts = starts
        self.lengths = lengths
        self.bytes = bytes
        self.globs = globs
        self.count = patterns.count
    }

    /// Whether pattern `i` matches `value`.
    @inline(__always)
    func matches(_ i: Int, _ value: SigmaValueText) -> Bool {
        value.bytes.withUnsafeBufferPointer { bytes in
            value.folded.withUnsafeBufferPointer { folded in matches(i, bytes, folded) }
        }
    }

    /// Whether pattern `i` matches the value `bytes` (ASCII-folded: `folded`, same length).
    @inline(__always)
    func matches(_ i: Int, _ raw: UnsafeBufferPointer<UInt8>, _ folded: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = cased[i] ? raw : folded
        let start = Int(starts[i]), length = Int(lengths[i])
        return bytes.withUnsafeBufferPointer { lit in
            let l = UnsafeBufferPointer(rebasing: lit[start..<(start + length)])
            switch Shape(rawValue: shapes[i]).unsafelyUnwrapped {
            case .anything: return true
            case .equals: return s.count == length && Self.equal(s.baseAddress, l.baseAddress, length)
            case .prefix: return s.count >= length && Self.equal(s.baseAddress, l.baseAddress, length)
            case .suffix: return s.count >= length && Self.equal(s.baseAddress.map { $0 + (s.count - length) }, l.baseAddress, length)
            case .contains: return Self.contains(s, l)
            case .glob: return SigmaBytes.glob(globs[i], s)
            }
        }
    }

    /// Some pattern matches some value.
    func matchesAny(_ values: [SigmaValueText]) -> Bool {
        for value in values {
            for i in 0..<count where matches(i, value) { return true }
        }
        return false
    }

    /// Every pattern matches some value (`|all`).
    func matchesAll(_ values: [SigmaValueText]) -> Bool {
        for i in 0..<count {
            var found = false
            for value in values where matches(i, value) { found = true; break }
            if !found { return false }
        }
        return true
    }

    /// `matchesAny` / `matchesAll` over values kept flat in an evaluator's buffers: value v
    /// is `raw[spans[v].x ..< spans[v].x + spans[v].y]`, and the same range of `folded`.
    func matches(all: Bool, _ raw: UnsafeBufferPointer<UInt8>, _ folded: UnsafeBufferPointer<UInt8>,
                 _ spans: UnsafeBufferPointer<SIMD2<Int32>>) -> Bool {
        @inline(__always) func value(_ span: SIMD2<Int32>) -> (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) {
            let range = Int(span.x)..<Int(span.x + span.y)
            return (UnsafeBufferPointer(rebasing: raw[range]), UnsafeBufferPointer(rebasing: folded[range]))
        }
        if all {
            for i in 0..<count {
                var found = false
                for span in spans {
                    let (r, f) = value(span)
                    if matches(i, r, f) { found = true; break }
                }
                if !found { return false }
            }
            return true
        }
        for span in spans {
            let (r, f) = value(span)
            for i in 0..<count where matches(i, r, f) { return true }
        }
        return false
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ n: Int) -> Bool {
        guard n > 0 else { return true }
        guard let a, let b else { return false }
        return memcmp(a, b, n) == 0
    }

    private static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = needle.count
        if n == 0 { return true }
        guard hay.count >= n, let h = hay.baseAddress, let p = needle.baseAddress else { return false }
        let first = p[0]
        var i = 0
        let last = hay.count - n
        while i <= last {
            // memchr finds the next candidate first byte quickly.
            guard let found = memchr(h + i, Int32(first), last - i + 1) else { return false }
            let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - h
            if memcmp(h + at, p, n) == 0 { return true }
            i = at + 1
        }
        return false
    }
}
