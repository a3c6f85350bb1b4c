/// The value transformations of the encoding modifiers, on bytes.
enum SigmaEncodings {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var i = 0
        while i < data.count {
            let b0 = data[i], b1 = i + 1 < data.count ? data[i + 1] : 0, b2 = i + 2 < data.count ? data[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < data.count ? alphabet[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < data.count ? alphabet[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return out
    }

    /// The three encodings of `data` as it may sit at any offset inside a longer base64 text
    /// (pySigma's algorithm): the stable middle part of base64 of 0, 1 or 2 leading bytes +
    /// data.
    static func base64Offsets(_ data: [UInt8]) -> [[UInt8]] {
        let starts = [0, 2, 3], ends = [0, 3, 2]
        return (0..<3).compactMap { i in
            let encoded = base64(Array(repeating: 0x20, count: i) + data)
            let end = encoded.count - ends[(data.count + i) % 3]
            guard end > starts[i] else { return nil }
            return Array(encoded[starts[i]..<end])
        }
    }

    static func utf16(_ data: [UInt8], _ encoding: SigmaModifiers.Encoding) -> [UInt8] {
        let units = Array(String(decoding: data, as: UTF8.self).utf16)
        var out: [UInt8] = encoding == .utf16 ? [0xFF, 0xFE] : []
        for u in units {
            if encoding == .utf16be { out += [UInt8(u >> 8), UInt8(u & 0xFF)] }
            else { out += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        }
        return out
    }

    /// `windash`: every `-` or `/` that starts a word (a command-line switch) in any of the
    /// forms Windows tools accept: `-`, `/`, en dash, em dash, horizontal bar. At most four
    /// positions are varied (625 variants), which covers every SigmaHQ value.
    static func windash(_ tokens: [SigmaGlobToken]) -> [[SigmaGlobToken]] {
        let dashes: [[UInt8]] = [[0x2D], [0x2F], Array("\u{2013}".utf8), Array("\u{2014}".utf8), Array("\u{2015}".utf8)]
        var variants: [[SigmaGlobToken]] = [[]]
        var varied = 0
        for token in tokens {
            guard case .literal(let bytes) = token else {
                variants = variants.map { $0 + [token] }
                continue
            }
            var pieces: [[[UInt8]]] = []  // alternatives per piece
            var current: [UInt8] = []
            for (i, b) in bytes.enumerated() {
                let isDash = b == 0x2D || b == 0x2F
                let before = i == 0 ? nil : bytes[i - 1]
                let after = i + 1 < bytes.count ? bytes[i + 1] : nil
                let startsWord = isDash && (before.map { !isWordByte($0) } ?? true) && (after.map(isWordByte) ?? false)
                if startsWord && varied < 4 {
                    varied += 1
                    pieces.append([current])
                    pieces.append(dashes)
                    current = []
                } else {
                    current.append(b)
                }
            }
            pieces.append([current])
            var expanded: [[UInt8]] = [[]]
            for alternatives in pieces {
                expanded = expanded.flatMap { prefix in alternatives.map { prefix + $0 } }
            }
            variants = variants.flatMap { v in expanded.map { v + [.literal($0)] } }
        }
        return variants
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }
}
