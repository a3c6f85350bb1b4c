/// Sigma timespans: a positive integer and one unit, `30s`, `5m`, `1h`, `1d` (and `1w`),
/// as milliseconds because event times are milliseconds.
enum SigmaCorrelationTimespan {
    static func milliseconds(_ text: String) -> Int64? {
        guard let unit = text.last, text.count >= 2 else { return nil }
        let digits = text.dropLast()
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let amount = Int64(digits), amount > 0 else { return nil }
        let unitMs: Int64
        switch unit {
        case "s": unitMs = 1_000
        case "m": unitMs = 60_000
        case "h": unitMs = 3_600_000
        case "d": unitMs = 86_400_000
        case "w": unitMs = 7 * 86_400_000
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: unitMs)
        return overflow ? nil : product
    }
}
