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
enum CompliancePHI {
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

    static func classify(_ fields: [ComplianceField]) -> Result {
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

    static func encryptionDeclaration(_ f: ComplianceField) -> Bool {
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
               i == 0 || !CompliancePAN.isAlnum(b[i - 1]) {
                var j = i + 3
                while j < b.count, [58, 35, 45, 32].contains(b[j]) { j += 1 }
                let start = j
                while j < b.count, CompliancePAN.isDigit(b[j]) { j += 1 }
                if (6...10).contains(j - start), j == b.count || !CompliancePAN.isAlnum(b[j]) { return true }
            }
            i += 1
        }
        return false
    }

    /// ICD-10(-CM) shape: a letter, two digits or digit + letter, then optionally `.` and 1-4
    /// alphanumerics (`J45`, `E11.9`, `S72.001A`). The whole value must be the code.
    static func isICD10(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 3, CompliancePAN.isUpperLetter(b[0]), CompliancePAN.isDigit(b[1]),
              CompliancePAN.isDigit(b[2]) || CompliancePAN.isUpperLetter(b[2]) else { return false }
        var rest = b[3...]
        if rest.first == 46 { rest = rest.dropFirst(); if rest.isEmpty { return false } }
        return rest.count <= 4 && rest.allSatisfy { CompliancePAN.isDigit($0) || CompliancePAN.isUpperLetter($0) }
    }

    /// `ddd-dd-dddd`, standing alone, area not 000, 666 or 9xx, group and serial not zero.
    static func containsSSN(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 11 else { return false }
        for i in 0...(b.count - 11) {
            let s = b[i..<(i + 11)]
            let digitsAt = [0, 1, 2, 4, 5, 7, 8, 9, 10]
            guard s[i + 3] == 45, s[i + 6] == 45, digitsAt.allSatisfy({ CompliancePAN.isDigit(s[i + $0]) }),
                  i == 0 || !CompliancePAN.isAlnum(b[i - 1]) && b[i - 1] != 45,
                  i + 11 == b.count || !CompliancePAN.isAlnum(b[i + 11]) && b[i + 11] != 45 else { continue }
            let area = Int(String(decoding: s[i..<(i + 3)], as: UTF8.self)) ?? 0
            let group = Int(String(decoding: s[(i + 4)..<(i + 6)], as: UTF8.self)) ?? 0
            let serial = Int(String(decoding: s[(i + 7)..<(i + 11)], as: UTF8.self)) ?? 0
            if area != 0, area != 666, area < 900, group != 0, serial != 0 { return true }
        }
        return false
    }
}

extension CompliancePAN {
    static func isUpperLetter(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
}
