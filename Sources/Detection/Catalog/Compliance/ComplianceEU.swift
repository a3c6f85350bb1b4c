/// The reference data the GDPR classifier needs: EU and EEA states (GDPR applies across the
/// EEA) by ISO 3166 alpha-2 code, English name and international calling code.
enum ComplianceEU {
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
