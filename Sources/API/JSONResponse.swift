import Foundation
import HTTPCore
import WebServer

/// Codable JSON for the low-volume endpoints; `?pretty` indents for people using curl.
public enum JSONResponse {
    public static func make<Value: Encodable>(_ value: Value, status: HTTPResponseStatus = .ok, context: RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = context.prettyJSON ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        var body = Array(try encoder.encode(value))
        if context.prettyJSON { body.append(UInt8(ascii: "\n")) }
        return Response.json(bytes: body, status: status)
    }
}
