/// QTD-002's estimate of the search space N when the sensor does not send `keyspace_size`:
/// the number of strings of the probed key's length over the smallest common alphabet that
/// covers its characters (digits 10, lowercase hex 16, lowercase alphanumerics 36, mixed-case
/// alphanumerics 62, printable ASCII 95), i.e. the space a brute-force search over keys of that
/// shape would cover. It over-estimates structured keys (`user-000123` is not 95^11 keys); that
/// only matters at N <= 100, the seed's advantage boundary, which short keys reach anyway.
public enum QuantumKeyspace {
    public static func estimate(key: String) -> Double {
        var digits = false, hexLower = false, lower = false, upper = false, other = false
        var length = 0
        for b in key.utf8 {
            length += 1
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits = true
            case UInt8(ascii: "a")...UInt8(ascii: "f"): hexLower = true
            case UInt8(ascii: "g")...UInt8(ascii: "z"): lower = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper = true
            default: other = true
            }
        }
        guard length > 0 else { return 0 }
        let alphabet: Double
        if other { alphabet = 95 }
        else if upper { alphabet = 62 }
        else if lower { alphabet = 36 }
        else if hexLower { alphabet = 16 }
        else { alphabet = digits ? 10 : 95 }
        return Double.pow(alphabet, Double(length))
    }
}

extension Double {
    fileprivate static func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var i = 0.0
        while i < exponent && result.isFinite { result *= base; i += 1 }
        return result
    }
}
