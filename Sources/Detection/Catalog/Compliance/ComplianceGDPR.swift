/// EU personal data processed without a lawful basis (GDPR Art. 6). What is detected: an event
/// with personal data of a data subject tied to the EU/EEA and no valid `lawful_basis`.
/// - personal data: an e-mail address; a phone number with an EU/EEA calling code
///   (`+49 30 1234567`); an IBAN of an EU/EEA country with a valid mod-97 check.
/// - tie to the EU/EEA: the phone's calling code or the IBAN's country, or a field named
///   `country`, `country_code`, `country_iso_code`, `residence_country`, `nationality` or
///   `jurisdiction` holding an EU/EEA code or name. Endpoint geolocation (`source.geo`,
///   `destination.geo`, `client.geo`, `server.geo`, `host.geo`, `observer.geo`) does not count:
///   where an IP address sits says nothing reliable about the data subject, and counting it
///   would flag every login alert from Europe.
/// - lawful basis: a field `lawful_basis` (or `legal_basis`) naming one of Art. 6(1)'s six:
///   consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests.
///   Any other value counts as missing and is reported as such.
enum ComplianceGDPR {
    static let countryKeys: Set<String> = ["country", "country_code", "country_iso_code", "residence_country", "nationality", "jurisdiction"]
    static let endpointGeo = ["source.geo", "destination.geo", "client.geo", "server.geo", "host.geo", "observer.geo"]
    static let bases: Set<String> = ["consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"]

    struct Result {
        var personal: [String] = []
        var euLink: [String] = []
        var lawfulBasis: String?
        var invalidBasis: String?
        var isViolation: Bool { !personal.isEmpty && !euLink.isEmpty && lawfulBasis == nil }
    }

    static func classify(_ fields: [ComplianceField], scan: ComplianceByteScan) -> Result {
        var r = Result()
        for f in fields where f.isString && !f.value.isEmpty {
            if f.key == "lawful_basis" || f.key == "legal_basis" {
                let normalized = String(f.value.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
                if bases.contains(normalized) { r.lawfulBasis = normalized } else { r.invalidBasis = f.value }
                continue
            }
            if countryKeys.contains(f.key), ComplianceEU.isEUCountry(f.value),
               !endpointGeo.contains(where: { f.path.hasPrefix($0 + ".") }) {
                r.euLink.append("\(f.path): \(f.value)")
            }
            if scan.hasAt, containsEmail(f.value) { r.personal.append("\(f.path): e-mail address") }
            if scan.hasPlusDigit, let code = euPhoneCallingCode(f.value) {
                r.personal.append("\(f.path): phone number +\(code)")
                r.euLink.append("\(f.path): EU/EEA calling code +\(code)")
            }
            if scan.hasIBANStart, let country = euIBANCountry(f.value) {
                r.personal.append("\(f.path): IBAN")
                r.euLink.append("\(f.path): IBAN country \(country)")
            }
        }
        return r
    }

    /// `local@domain.tld`: a non-empty local part of `[A-Za-z0-9._%+-]`, a domain with a dot
    /// and a final label of at least two letters.
    static func containsEmail(_ text: String) -> Bool {
        let b = Array(text.utf8)
        for at in b.indices where b[at] == 64 {
            var s = at
            while s > 0, isLocal(b[s - 1]) { s -= 1 }
            guard s < at else { continue }
            var e = at + 1
            var lastDot = -1
            while e < b.count, CompliancePAN.isAlnum(b[e]) || b[e] == 45 || b[e] == 46 { if b[e] == 46 { lastDot = e }; e += 1 }
            guard lastDot > at + 1 else { continue }
            var tld = lastDot + 1
            var letters = 0
            while tld < e, (b[tld] | 0x20) >= 97, (b[tld] | 0x20) <= 122 { letters += 1; tld += 1 }
            if letters >= 2 && tld == e { return true }
        }
        return false
    }

    static func isLocal(_ c: UInt8) -> Bool {
        CompliancePAN.isAlnum(c) || [46, 95, 37, 43, 45].contains(c)
    }

    /// The EU/EEA calling code of a `+CC ...` phone number (6-12 further digits, spaces, dashes,
    /// dots or parentheses between them), or nil.
    static func euPhoneCallingCode(_ text: String) -> String? {
        let b = Array(text.utf8)
        for plus in b.indices where b[plus] == 43 && (plus == 0 || !CompliancePAN.isAlnum(b[plus - 1])) {
            var digits: [UInt8] = []
            var i = plus + 1
            while i < b.count, CompliancePAN.isDigit(b[i]) || [32, 45, 46, 40, 41].contains(b[i]) {
                if CompliancePAN.isDigit(b[i]) { digits.append(b[i]) }
                i += 1
            }
            guard i == b.count || !CompliancePAN.isAlnum(b[i]) else { continue }
            for length in [2, 3] where digits.count >= length + 6 && digits.count <= length + 12 {
                let code = String(decoding: digits.prefix(length), as: UTF8.self)
                if ComplianceEU.callingCodes.contains(code) { return code }
            }
        }
        return nil
    }

    /// The country of an EU/EEA IBAN (single spaces allowed between groups) with a valid
    /// ISO 13616 mod-97 check, or nil. The collected characters may run into a following word
    /// (`DE89 3704 ... 00 paid`), so every length from 15 to 34 is tried.
    static func euIBANCountry(_ text: String) -> String? {
        let b = Array(text.utf8)
        var i = 0
        while i + 4 <= b.count {
            defer { i += 1 }
            guard CompliancePAN.isUpperLetter(b[i]), CompliancePAN.isUpperLetter(b[i + 1]),
                  CompliancePAN.isDigit(b[i + 2]), CompliancePAN.isDigit(b[i + 3]),
                  i == 0 || !CompliancePAN.isAlnum(b[i - 1]) else { continue }
            let country = String(decoding: b[i..<(i + 2)], as: UTF8.self)
            guard ComplianceEU.countryCodes.contains(country) else { continue }
            var chars: [UInt8] = []
            var lengths = Set<Int>()  // lengths ending at a boundary: a space, or the end of the run
            var j = i
            while j < b.count, chars.count < 34 {
                let c = b[j]
                if CompliancePAN.isDigit(c) || CompliancePAN.isUpperLetter(c) {
                    chars.append(c)
                    j += 1
                } else if c == 32, j + 1 < b.count, CompliancePAN.isAlnum(b[j + 1]) {
                    lengths.insert(chars.count)
                    j += 1
                } else {
                    break
                }
            }
            if j == b.count || !CompliancePAN.isAlnum(b[j]) { lengths.insert(chars.count) }
            for length in lengths where length >= 15 {
                if mod97(Array(chars[0..<length])) == 1 { return country }
            }
        }
        return nil
    }

    /// ISO 13616: move the first four characters to the end, letters to 10...35, remainder mod 97.
    static func mod97(_ iban: [UInt8]) -> Int {
        var remainder = 0
        for c in iban[4...] + iban[..<4] {
            if CompliancePAN.isDigit(c) { remainder = (remainder * 10 + Int(c - 48)) % 97 }
            else { remainder = (remainder * 100 + Int(c - 55)) % 97 }
        }
        return remainder
    }
}
