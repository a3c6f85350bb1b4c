// A frozen copy of COMP-001's classifier as it was before the byte pre-scan was sharpened, for the
// equivalence test: the new detector must find exactly what this one finds.
import Ingestion
import MWRASPCore
import Detection

/// COMP-001: content classifiers over every ingested event (any dataset, any kind). One byte
/// pass over the document decides which classifiers can possibly match (a 13-digit run for
/// cards; `@`, `+digit` or an IBAN start for GDPR; a medical keyword for PHI); only then are
/// the document's string and integer values walked on the JSONScanner tape and classified:
/// `LegacyCompliancePAN` (PCI DSS 3.4, critical), `LegacyCompliancePHI` (HIPAA 164.312(a)(2)(iv),
/// critical), `LegacyComplianceGDPR` (GDPR Art. 6, high). At most one finding per regulation per
/// event, carrying the evidence (masked) and the notification deadline from the event time.
/// SOX change-control (DESIGN.md's fourth item) is not a content classifier and is not here.
/// What a violation says, for comparing the two implementations.
struct LegacyViolation: Equatable, CustomStringConvertible {
    var regulation: ComplianceRegulation
    var evidence: [String]
    var notificationDeadlineHours: Double
    var notificationDeadline: Int64
    var description: String { "\(regulation.rawValue) \(evidence) \(notificationDeadlineHours) \(notificationDeadline)" }
}

final class LegacyComplianceDetector {
    let configuration: ComplianceConfiguration

    init(configuration: ComplianceConfiguration = ComplianceConfiguration()) {
        self.configuration = configuration
    }

    func violations(_ input: DetectionInput) -> [LegacyViolation] {
        let bytes = input.event.document
        let scan = LegacyComplianceByteScan(bytes)
        let maybeCards = scan.longestDigitRun >= 13
        let maybeGDPR = scan.hasAt || scan.hasPlusDigit || scan.hasIBANStart
        let maybePHI = scan.hasMedicalWord
        guard maybeCards || maybeGDPR || maybePHI, let doc = input.document else { return [] }

        let fields = LegacyComplianceFields.collect(doc)
        var out: [LegacyViolation] = []
        if maybeCards {
            var evidence: [String] = []
            for f in fields {
                for m in LegacyCompliancePAN.find(in: f.value) { evidence.append("\(f.path): \(m.brand) \(m.masked)") }
            }
            if !evidence.isEmpty { out.append(violation(.pciDSS, evidence, input.event)) }
        }
        if maybePHI {
            let r = LegacyCompliancePHI.classify(fields)
            if r.isViolation { out.append(violation(.hipaa, r.medical + r.person + ["encryption: not declared"], input.event)) }
        }
        if maybeGDPR {
            let r = LegacyComplianceGDPR.classify(fields, scan: scan)
            if r.isViolation {
                let basis = r.invalidBasis.map { "lawful_basis: not an Art. 6(1) basis (\($0))" } ?? "lawful_basis: absent"
                out.append(violation(.gdpr, r.personal + r.euLink + [basis], input.event))
            }
        }
        return out
    }

    private func violation(_ r: ComplianceRegulation, _ evidence: [String], _ event: Event) -> LegacyViolation {
        let hours = switch r {
        case .pciDSS: configuration.pciNotificationHours
        case .hipaa: configuration.hipaaNotificationHours
        case .gdpr: configuration.gdprNotificationHours
        }
        var listed = Array(evidence.prefix(configuration.maxEvidence))
        if evidence.count > listed.count { listed.append("and \(evidence.count - listed.count) more") }
        return LegacyViolation(regulation: r, evidence: listed, notificationDeadlineHours: hours,
                                   notificationDeadline: event.timestamp + Int64(hours * 3_600_000))
    }
}

/// The scalar values of an event document with where they sit, for the content classifiers:
/// every string (escapes decoded) and every number written as an integer, with its dotted path
/// and its own key lowercased. Walks the JSONScanner tape once; MWRASP's own `mwrasp` namespace
/// and `@timestamp` are skipped (we wrote them, they are not the sender's data).
struct LegacyComplianceField {
    var path: String
    /// The last key on the path, lowercased (array elements inherit their array's key).
    var key: String
    var value: String
    var isString: Bool
    var bool: Bool?
}

enum LegacyComplianceFields {
    /// Arrays and objects deeper than this are not walked: the scanner already bounds nesting
    /// at 64, this keeps the classifier's own cost predictable.
    static let maxDepth = 32

    static func collect(_ doc: JSONScanner) -> [LegacyComplianceField] {
        var out: [LegacyComplianceField] = []
        guard doc.kind(doc.root) == .object else { return out }
        for (key, value) in doc.members(doc.root) {
            guard let name = doc.string(key), name != "mwrasp", name != "@timestamp" else { continue }
            walk(doc, value, path: name, key: name.lowercased(), depth: 0, into: &out)
        }
        return out
    }

    private static func walk(_ doc: JSONScanner, _ node: Int, path: String, key: String, depth: Int, into out: inout [LegacyComplianceField]) {
        switch doc.kind(node) {
        case .object:
            guard depth < maxDepth else { return }
            for (k, v) in doc.members(node) {
                let name = doc.string(k) ?? ""
                walk(doc, v, path: path + "." + name, key: name.lowercased(), depth: depth + 1, into: &out)
            }
        case .array:
            guard depth < maxDepth else { return }
            for element in doc.elements(node) { walk(doc, element, path: path, key: key, depth: depth + 1, into: &out) }
        case .string:
            out.append(LegacyComplianceField(path: path, key: key, value: doc.string(node) ?? "", isString: true, bool: nil))
        case .number:
            if let text = doc.numberText(node), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                out.append(LegacyComplianceField(path: path, key: key, value: text, isString: false, bool: nil))
            }
        case .true, .false:
            out.append(LegacyComplianceField(path: path, key: key, value: "", isString: false, bool: doc.bool(node)))
        case .null:
            break
        }
    }
}

/// The cheap first pass over the raw document bytes: one loop, no allocation, that says which
/// classifiers could possibly match, so an event with none of their raw ingredients costs one
/// scan and no parsing of values.
struct LegacyComplianceByteScan {
    /// Longest run of digits allowing single spaces or dashes between them (PAN-shaped).
    var longestDigitRun = 0
    var hasAt = false
    var hasPlusDigit = false
    /// Two uppercase letters then two digits: the start of an IBAN.
    var hasIBANStart = false
    /// One of `LegacyCompliancePHI.gateWords`, any case.
    var hasMedicalWord = false

    init(_ bytes: [UInt8]) {
        var longest = 0, run = 0
        var pendingSeparator = false
        var at = false, plusDigit = false, iban = false, medical = false
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c &- 48 < 10 {
                    run += 1
                    pendingSeparator = false
                    if run > longest { longest = run }
                    if !iban, i >= 2, i + 1 < n, b[i + 1] &- 48 < 10, b[i - 1] &- 65 < 26, b[i - 2] &- 65 < 26 { iban = true }
                } else if (c == 32 || c == 45) && run > 0 && !pendingSeparator {
                    pendingSeparator = true
                } else {
                    run = 0
                    pendingSeparator = false
                    switch c | 0x20 {
                    case 0x60 where c == 64: at = true  // '@' (0x40 | 0x20 = 0x60)
                    case 0x2B where c == 43: if i + 1 < n, b[i + 1] &- 48 < 10 { plusDigit = true }
                    case 0x64, 0x69, 0x6D, 0x70:  // d, i, m, p: first letters of the medical words
                        if !medical, LegacyComplianceByteScan.startsMedicalWord(b, i) { medical = true }
                    default: break
                    }
                }
                i += 1
            }
        }
        longestDigitRun = longest
        hasAt = at
        hasPlusDigit = plusDigit
        hasIBANStart = iban
        hasMedicalWord = medical
    }

    private static func startsMedicalWord(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        for word in LegacyCompliancePHI.gateWords where word[0] == b[i] | 0x20 && i + word.count <= b.count {
            var j = 1
            while j < word.count && (b[i + j] | 0x20) == word[j] { j += 1 }
            if j == word.count { return true }
        }
        return false
    }
}
/// Payment card numbers (PANs) in clear text, for PCI DSS 3.4. A candidate is a run of 13-19
/// digits standing on its own (not glued to other letters or digits), with single spaces or
/// dashes allowed between digits (`4111 1111 1111 1111`, `4111-1111-1111-1111`). It counts
/// only when the Luhn check passes AND the leading digits are a known issuer range with a
/// length that issuer uses, which together reject ~90% of random digit strings by Luhn and
/// most timestamps, phone numbers and order numbers by prefix. Masked numbers (`411111******1111`)
/// do not match: PCI DSS allows them.
enum LegacyCompliancePAN {
    struct Match: Sendable, Equatable {
        var digits: String
        var brand: String
        /// First 6 and last 4 digits, the rest as `*` (the most PCI DSS 3.3 allows to display).
        var masked: String {
            let d = Array(digits)
            return String(d.prefix(6)) + String(repeating: "*", count: max(0, d.count - 10)) + String(d.suffix(4))
        }
    }

    static func find(in text: String) -> [Match] {
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
    static func luhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, d) in digits.reversed().enumerated() {
            var v = Int(d)
            if offset % 2 == 1 { v *= 2; if v > 9 { v -= 9 } }
            sum += v
        }
        return !digits.isEmpty && sum % 10 == 0
    }

    static func luhn(_ text: String) -> Bool {
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
/// Protected health information stored or sent unencrypted (HIPAA 164.312(a)(2)(iv)). What is
/// detected, honestly: an event that carries BOTH a medical identifier and a person identifier
/// and does NOT declare its data encrypted.
/// - medical identifier: a field named `mrn`, `medical_record_number`, `patient_id`,
///   `patient_mrn` with a value; text `MRN` followed by 6-10 digits; or an ICD-10 code
///   (`E11.9`, `J45`) in a field whose name mentions `icd`, `diagnosis` or `dx`.
/// - person identifier: a field named like a name, birth date or SSN (`patient_name`,
///   `full_name`, `first_name`, `last_name`, `dob`, `date_of_birth`, `ssn`..., or `name` under a
///   `patient` object), or a value shaped like a US SSN (`123-45-6789`, valid area number).
/// - declared encryption: a field `encrypted: true`, or `encryption` / `encryption_algorithm`
///   / `cipher` with a value other than none/plaintext/false. This is the sender's claim about
///   where the data is kept; MWRASP cannot verify it.
/// A diagnosis code alone, or a name alone, is not PHI under this rule.
enum LegacyCompliancePHI {
    /// Words one of which any PHI event this rule can flag contains (in a key or a value), for
    /// the byte pre-scan; letters only, compared with `| 0x20` case folding.
    static let gateWords: [[UInt8]] = ["patient", "mrn", "icd", "diagnos", "medical", "dx"].map { Array($0.utf8) }

    static let medicalKeys: Set<String> = ["mrn", "medical_record_number", "medical_record_no", "patient_id", "patient_mrn"]
    static let personKeys: Set<String> = [
        "patient_name", "full_name", "first_name", "last_name", "given_name", "family_name", "surname",
        "dob", "date_of_birth", "birth_date", "birthdate", "ssn", "social_security_number",
    ]

    struct Result {
        var medical: [String] = []
        var person: [String] = []
        var encryptionDeclared = false
        var isViolation: Bool { !medical.isEmpty && !person.isEmpty && !encryptionDeclared }
    }

    static func classify(_ fields: [LegacyComplianceField]) -> Result {
        var r = Result()
        for f in fields {
            if encryptionDeclaration(f) { r.encryptionDeclared = true }
            guard f.bool == nil, !f.value.isEmpty else { continue }
            if medicalKeys.contains(f.key) { r.medical.append("\(f.path): medical record identifier") }
            else if f.isString, containsMRN(f.value) { r.medical.append("\(f.path): MRN in text") }
            else if f.key.contains("icd") || f.key.contains("diagnos") || f.key == "dx" || f.key.hasPrefix("dx_"),
                    isICD10(f.value) { r.medical.append("\(f.path): ICD-10 code \(f.value)") }
            if personKeys.contains(f.key) || (f.key == "name" && f.path.lowercased().contains("patient")) {
                r.person.append("\(f.path): person identifier")
            } else if f.isString, containsSSN(f.value) {
                r.person.append("\(f.path): SSN-shaped value")
            }
        }
        return r
    }

    static func encryptionDeclaration(_ f: LegacyComplianceField) -> Bool {
        if f.key == "encrypted" { return f.bool == true || f.value.lowercased() == "true" }
        guard ["encryption", "encryption_algorithm", "cipher"].contains(f.key), f.isString else { return false }
        return !["", "none", "plaintext", "false", "off", "no"].contains(f.value.lowercased())
    }

    /// `MRN` (any case), optional `:`, `#`, `-` or spaces, then 6-10 digits standing alone.
    static func containsMRN(_ text: String) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        while i + 3 <= b.count {
            if (b[i] | 0x20) == 109, (b[i + 1] | 0x20) == 114, (b[i + 2] | 0x20) == 110,
               i == 0 || !LegacyCompliancePAN.isAlnum(b[i - 1]) {
                var j = i + 3
                while j < b.count, [58, 35, 45, 32].contains(b[j]) { j += 1 }
                let start = j
                while j < b.count, LegacyCompliancePAN.isDigit(b[j]) { j += 1 }
                if (6...10).contains(j - start), j == b.count || !LegacyCompliancePAN.isAlnum(b[j]) { return true }
            }
            i += 1
        }
        return false
    }

    /// ICD-10(-CM) shape: a letter, two digits or digit + letter, then optionally `.` and 1-4
    /// alphanumerics (`J45`, `E11.9`, `S72.001A`). The whole value must be the code.
    static func isICD10(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 3, LegacyCompliancePAN.isUpperLetter(b[0]), LegacyCompliancePAN.isDigit(b[1]),
              LegacyCompliancePAN.isDigit(b[2]) || LegacyCompliancePAN.isUpperLetter(b[2]) else { return false }
        var rest = b[3...]
        if rest.first == 46 { rest = rest.dropFirst(); if rest.isEmpty { return false } }
        return rest.count <= 4 && rest.allSatisfy { LegacyCompliancePAN.isDigit($0) || LegacyCompliancePAN.isUpperLetter($0) }
    }

    /// `ddd-dd-dddd`, standing alone, area not 000, 666 or 9xx, group and serial not zero.
    static func containsSSN(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 11 else { return false }
        for i in 0...(b.count - 11) {
            let s = b[i..<(i + 11)]
            let digitsAt = [0, 1, 2, 4, 5, 7, 8, 9, 10]
            guard s[i + 3] == 45, s[i + 6] == 45, digitsAt.allSatisfy({ LegacyCompliancePAN.isDigit(s[i + $0]) }),
                  i == 0 || !LegacyCompliancePAN.isAlnum(b[i - 1]) && b[i - 1] != 45,
                  i + 11 == b.count || !LegacyCompliancePAN.isAlnum(b[i + 11]) && b[i + 11] != 45 else { continue }
            let area = Int(String(decoding: s[i..<(i + 3)], as: UTF8.self)) ?? 0
            let group = Int(String(decoding: s[(i + 4)..<(i + 6)], as: UTF8.self)) ?? 0
            let serial = Int(String(decoding: s[(i + 7)..<(i + 11)], as: UTF8.self)) ?? 0
            if area != 0, area != 666, area < 900, group != 0, serial != 0 { return true }
        }
        return false
    }
}

extension LegacyCompliancePAN {
    static func isUpperLetter(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
}
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
enum LegacyComplianceGDPR {
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

    static func classify(_ fields: [LegacyComplianceField], scan: LegacyComplianceByteScan) -> Result {
        var r = Result()
        for f in fields where f.isString && !f.value.isEmpty {
            if f.key == "lawful_basis" || f.key == "legal_basis" {
                let normalized = String(f.value.lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
                if bases.contains(normalized) { r.lawfulBasis = normalized } else { r.invalidBasis = f.value }
                continue
            }
            if countryKeys.contains(f.key), LegacyComplianceEU.isEUCountry(f.value),
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
            while e < b.count, LegacyCompliancePAN.isAlnum(b[e]) || b[e] == 45 || b[e] == 46 { if b[e] == 46 { lastDot = e }; e += 1 }
            guard lastDot > at + 1 else { continue }
            var tld = lastDot + 1
            var letters = 0
            while tld < e, (b[tld] | 0x20) >= 97, (b[tld] | 0x20) <= 122 { letters += 1; tld += 1 }
            if letters >= 2 && tld == e { return true }
        }
        return false
    }

    static func isLocal(_ c: UInt8) -> Bool {
        LegacyCompliancePAN.isAlnum(c) || [46, 95, 37, 43, 45].contains(c)
    }

    /// The EU/EEA calling code of a `+CC ...` phone number (6-12 further digits, spaces, dashes,
    /// dots or parentheses between them), or nil.
    static func euPhoneCallingCode(_ text: String) -> String? {
        let b = Array(text.utf8)
        for plus in b.indices where b[plus] == 43 && (plus == 0 || !LegacyCompliancePAN.isAlnum(b[plus - 1])) {
            var digits: [UInt8] = []
            var i = plus + 1
            while i < b.count, LegacyCompliancePAN.isDigit(b[i]) || [32, 45, 46, 40, 41].contains(b[i]) {
                if LegacyCompliancePAN.isDigit(b[i]) { digits.append(b[i]) }
                i += 1
            }
            guard i == b.count || !LegacyCompliancePAN.isAlnum(b[i]) else { continue }
            for length in [2, 3] where digits.count >= length + 6 && digits.count <= length + 12 {
                let code = String(decoding: digits.prefix(length), as: UTF8.self)
                if LegacyComplianceEU.callingCodes.contains(code) { return code }
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
            guard LegacyCompliancePAN.isUpperLetter(b[i]), LegacyCompliancePAN.isUpperLetter(b[i + 1]),
                  LegacyCompliancePAN.isDigit(b[i + 2]), LegacyCompliancePAN.isDigit(b[i + 3]),
                  i == 0 || !LegacyCompliancePAN.isAlnum(b[i - 1]) else { continue }
            let country = String(decoding: b[i..<(i + 2)], as: UTF8.self)
            guard LegacyComplianceEU.countryCodes.contains(country) else { continue }
            var chars: [UInt8] = []
            var lengths = Set<Int>()  // lengths ending at a boundary: a space, or the end of the run
            var j = i
            while j < b.count, chars.count < 34 {
                let c = b[j]
                if LegacyCompliancePAN.isDigit(c) || LegacyCompliancePAN.isUpperLetter(c) {
                    chars.append(c)
                    j += 1
                } else if c == 32, j + 1 < b.count, LegacyCompliancePAN.isAlnum(b[j + 1]) {
                    lengths.insert(chars.count)
                    j += 1
                } else {
                    break
                }
            }
            if j == b.count || !LegacyCompliancePAN.isAlnum(b[j]) { lengths.insert(chars.count) }
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
            if LegacyCompliancePAN.isDigit(c) { remainder = (remainder * 10 + Int(c - 48)) % 97 }
            else { remainder = (remainder * 100 + Int(c - 55)) % 97 }
        }
        return remainder
    }
}
/// The reference data the GDPR classifier needs: EU and EEA states (GDPR applies across the
/// EEA) by ISO 3166 alpha-2 code, English name and international calling code.
enum LegacyComplianceEU {
    static let countryCodes: Set<String> = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
        "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    ]
    static let countryNames: Set<String> = [
        "austria", "belgium", "bulgaria", "croatia", "cyprus", "czechia", "czech republic", "denmark", "estonia",
        "finland", "france", "germany", "greece", "hungary", "ireland", "italy", "latvia", "lithuania", "luxembourg",
        "malta", "netherlands", "poland", "portugal", "romania", "slovakia", "slovenia", "spain", "sweden",
        "iceland", "liechtenstein", "norway",
    ]
    /// Calling codes of EU/EEA states (Greece 30 ... Liechtenstein 423).
    static let callingCodes: Set<String> = [
        "30", "31", "32", "33", "34", "36", "39", "40", "43", "45", "46", "47", "48", "49",
        "351", "352", "353", "354", "356", "357", "358", "359", "370", "371", "372", "385", "386", "420", "421", "423",
    ]

    static func isEUCountry(_ value: String) -> Bool {
        let v = trimmed(value)
        return countryCodes.contains(v.uppercased()) || countryNames.contains(v.lowercased())
    }

    static func trimmed(_ value: String) -> String {
        var s = Substring(value)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
