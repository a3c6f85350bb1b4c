/// Payment card numbers (PANs) in clear text, for PCI DSS 3.4. A candidate is a run of 13-19
/// digits standing on its own (not glued to other letters or digits), with single spaces or
/// dashes allowed between digits (`4111 1111 1111 1111`, `4111-1111-1111-1111`). It counts
/// only when the Luhn check passes AND the leading digits are a known issuer range with a
/// length that issuer uses, which together reject ~90% of random digit strings by Luhn and
/// most timestamps, phone numbers and order numbers by prefix. Masked numbers (`411111******1111`)
/// do not match: PCI DSS allows them.
public enum CompliancePAN {
    public struct Match: Sendable, Equatable {
        public var digits: String
        public var brand: String
        /// First 6 and last 4 digits, the rest as `*` (the most PCI DSS 3.3 allows to display).
        public var masked: String {
            let d = Array(digits)
            return String(d.prefix(6)) + String(repeating: "*", count: max(0, d.count - 10)) + String(d.suffix(4))
        }
    }

    public static func find(in text: String) -> [Match] {
        var out: [Match] = []
        var digits: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard isDigit(bytes[i]), i == 0 || !isAlnum(bytes[i - 1]) else { i += 1; continue }
            digits.removeAll(keepingCapacity: true)
            var j = i
            while j < bytes.count {
                if isDigit(bytes[j]) { digits.append(bytes[j] - 48); j += 1; continue }
                if (bytes[j] == 32 || bytes[j] == 45), j + 1 < bytes.count, isDigit(bytes[j + 1]) { j += 1; continue }
                break
            }
            let standsAlone = j == bytes.count || !isAlnum(bytes[j])
            if standsAlone, (13...19).contains(digits.count), luhn(digits), let brand = brand(digits) {
                out.append(Match(digits: String(decoding: digits.map { $0 + 48 }, as: UTF8.self), brand: brand))
            }
            i = j
        }
        return out
    }

    /// The Luhn (mod 10) check over digit values 0-9.
    public static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if offset % 2 == 1 { v *= 2; if v > 9 { v -= 9 } }
            sum += v
        }
        return !digits.isEmpty && sum % 10 == 0
    }

    public static func luhn(_ text: String) -> Bool {
        let d = text.utf8.filter(isDigit).map { $0 - 48 }
        return luhn(d)
    }

    /// The card brand for an issuer prefix and length, or nil for unknown ranges.
    static func brand(_ d: [UInt8]) -> String? {
        func prefix(_ n: Int) -> Int { d.prefix(n).reduce(0) { $0 * 10 + Int($1) } }
        let length = d.count
        if d[0] == 4, [13, 16, 19].contains(length) { return "visa" }
        if (51...55).contains(prefix(2)) || (2221...2720).contains(prefix(4)), length == 16 { return "mastercard" }
        if [34, 37].contains(prefix(2)), length == 15 { return "amex" }
        if prefix(4) == 6011 || (644...649).contains(prefix(3)) || prefix(2) == 65, (16...19).contains(length) { return "discover" }
        if (3528...3589).contains(prefix(4)), (16...19).contains(length) { return "jcb" }
        if prefix(2) == 36 || (300...305).contains(prefix(3)) || (38...39).contains(prefix(2)), (14...19).contains(length) {
            return "diners"
        }
        return nil
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) }
}
