import HTTPCore

extension Problem {
    /// Renders `application/problem+json` with the request id, by hand: problems are built on
    /// error paths where the JSON encoder's failure modes would only get in the way.
    public func response(requestID: String, instance: String? = nil, pretty: Bool = false) -> Response {
        var fields: [(String, String)] = [
            ("type", type), ("title", title), ("status", String(status.code)), ("detail", detail),
        ]
        if let instance { fields.append(("instance", instance)) }
        fields.append(("request_id", requestID))
        let separator = pretty ? ",\n  " : ","
        var json = pretty ? "{\n  " : "{"
        for (index, (key, value)) in fields.enumerated() {
            if index > 0 { json += separator }
            json += JSONString.quote(key)
            json += pretty ? ": " : ":"
            json += key == "status" ? value : JSONString.quote(value)
        }
        json += pretty ? "\n}\n" : "}"
        var headers = self.headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/problem+json")
        return Response(status: status, headers: headers, body: Array(json.utf8))
    }
}

/// JSON string escaping per RFC 8259 §7.
public enum JSONString {
    public static func quote(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }
}
