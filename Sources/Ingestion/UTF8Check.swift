/// Well-formed UTF-8 per RFC 3629 section 4 (Unicode Table 3-7): no overlong forms, no
/// surrogates, nothing above U+10FFFF.
enum UTF8Check {
    /// The length of the valid multi-byte sequence at `index` (whose first byte is >= 0x80),
    /// or nil when it is not well-formed.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ index: Int, _ count: Int) -> Int? {
        let b0 = p[index]
        @inline(__always) func cont(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            index + offset < count && p[index + offset] >= low && p[index + offset] <= high
        }
        switch b0 {
        case 0xC2...0xDF: return cont(1) ? 2 : nil
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : nil
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : nil
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : nil
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : nil
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : nil
        default: return nil
        }
    }
}
