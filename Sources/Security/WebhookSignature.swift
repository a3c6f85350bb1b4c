import Crypto

/// Why a webhook signature was refused. The API turns each into a 401 problem; the text is safe
/// to show the caller (it never includes the expected MAC or a secret).
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case malformed(String)
    /// now - t: positive when the signature is old, negative when it is from the future.
    case timestampOutOfTolerance(skewSeconds: Int64)
    case mismatch

    public var description: String {
        switch self {
        case .missing: "missing X-MWRASP-Signature header"
        case .malformed(let why): "malformed X-MWRASP-Signature header: \(why)"
        case .timestampOutOfTolerance(let skew):
            skew >= 0
                ? "signature timestamp is \(skew) s old, outside the allowed window"
                : "signature timestamp is \(-skew) s in the future, outside the allowed window"
        case .mismatch: "signature does not match the body"
        }
    }
}

/// Webhook signatures: header `X-MWRASP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
/// "<t>.<body>")>`.
///
/// - Several `v1=` values are allowed and several secrets configured, so a secret can be rotated
///   without downtime: any (secret, v1) match passes.
/// - The timestamp is inside the MAC, and must be within `tolerance` seconds of now in either
///   direction, so a captured request cannot be replayed later (nor pre-dated far ahead).
/// - MACs are compared in constant time over all bytes, every candidate against every secret,
///   with no early exit, so timing reveals neither a matching prefix nor which pair matched.
/// - Unknown `key=value` elements (a future `v2=`) are ignored, so signers can add schemes.
public struct WebhookSignature: Sendable {
    public static let headerName = "X-MWRASP-Signature"
    /// Bounds on the work an unauthenticated header can cause.
    static let maxHeaderLength = 4096
    static let maxSignatures = 16

    private let keys: [SymmetricKey]
    public let tolerance: Int64

    public init(secrets: [[UInt8]], tolerance: Int64 = 300) {
        self.keys = secrets.map { SymmetricKey(data: $0) }
        self.tolerance = tolerance
    }

    public func verify(header: String?, body: [UInt8], now: Int64) throws(SignatureError) {
        guard let header, header.utf8.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") })
        else { throw .missing }
        let parsed = try Self.parse(header)

        // t has at most 18 digits, so only an absurd `now` could overflow; refuse rather than trap.
        let (skew, overflow) = now.subtractingReportingOverflow(parsed.timestamp)
        guard !overflow, skew <= tolerance, skew >= -tolerance else {
            throw .timestampOutOfTolerance(skewSeconds: overflow ? Int64.min : skew)
        }

        var matched = false
        for key in keys {
            let mac = Self.mac(timestamp: parsed.timestampText, body: body, key: key)
            for candidate in parsed.signatures {
                // No break on a match: every comparison runs whatever the outcome.
                if mac.withUnsafeBytes({ Bytes.constantTimeEqual($0, candidate) }) { matched = true }
            }
        }
        guard matched else { throw .mismatch }
    }

    /// The header value, for tests and clients.
    public static func sign(body: [UInt8], secret: [UInt8], timestamp: Int64) -> String {
        let mac = mac(timestamp: Array(String(timestamp).utf8), body: body, key: SymmetricKey(data: secret))
        return "t=\(timestamp),v1=\(Bytes.hex(mac))"
    }

    /// HMAC-SHA256 over "<t>.<body>", fed piecewise so the body is never copied.
    static func mac(timestamp: [UInt8], body: [UInt8], key: SymmetricKey) -> HMAC<SHA256>.MAC {
        var hmac = HMAC<SHA256>(key: key)
        (timestamp + [UInt8(ascii: ".")]).withUnsafeBytes { hmac.update(data: $0) }
        body.withUnsafeBytes { hmac.update(data: $0) }
        return hmac.finalize()
    }

    struct Parsed: Equatable {
        /// The digits exactly as sent: the MAC covers the text the signer signed.
        var timestampText: [UInt8]
        var timestamp: Int64
        var signatures: [[UInt8]]
    }

    /// `t=<digits>` exactly once, one or more `v1=<64 hex>`, elements separated by commas with
    /// optional spaces around them. Works on the UTF-8 bytes: the grammar is ASCII, and String's
    /// Unicode-aware splitting and comparing cost more than the HMAC itself.
    static func parse(_ header: String) throws(SignatureError) -> Parsed {
        guard header.utf8.count <= maxHeaderLength else { throw .malformed("header too long") }
        let bytes = Array(header.utf8)
        var timestamp: (text: [UInt8], value: Int64)? = nil
        var signatures: [[UInt8]] = []
        for rawElement in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let element = trimmingSpaces(rawElement)
            guard let equals = element.firstIndex(of: UInt8(ascii: "=")) else {
                throw .malformed("element without '=': expected t=<unix seconds>,v1=<hex>")
            }
            let key = element[..<equals]
            let value = element[(equals + 1)...]
            if key.elementsEqual("t".utf8) {
                guard timestamp == nil else { throw .malformed("more than one t=") }
                guard let seconds = decimal(value) else {
                    throw .malformed("t= must be unix seconds (decimal digits)")
                }
                timestamp = (Array(value), seconds)
            } else if key.elementsEqual("v1".utf8) {
                guard value.count == 2 * SHA256.byteCount, let mac = Bytes.fromHex(value) else {
                    throw .malformed("v1= must be 64 hex characters (HMAC-SHA256)")
                }
                guard signatures.count < maxSignatures else { throw .malformed("too many v1= values") }
                signatures.append(mac)
            } else if key.isEmpty {
                throw .malformed("element with an empty key")
            }
            // Any other key is another scheme; see the type comment.
        }
        guard let timestamp else { throw .malformed("no t= timestamp") }
        guard !signatures.isEmpty else { throw .malformed("no v1= signature") }
        return Parsed(timestampText: timestamp.text, timestamp: timestamp.value, signatures: signatures)
    }

    /// 1 to 18 ASCII digits (18 cannot overflow Int64); nil otherwise, signs included.
    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int64? {
        guard (1...18).contains(digits.count) else { return nil }
        var value: Int64 = 0
        for char in digits {
            guard char >= UInt8(ascii: "0") && char <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(char - UInt8(ascii: "0"))
        }
        return value
    }

    /// Strips ASCII spaces and tabs at both ends.
    private static func trimmingSpaces(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}
