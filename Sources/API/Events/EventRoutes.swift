import HTTPCore
import MWRASPCore
import Storage
import WebServer

/// `GET /v1/events`: stored events for responders, newest first, filtered and paginated.
struct EventRoutes {
    let environment: APIEnvironment

    func register(into routes: inout APIRoutes) {
        let store = environment.store
        routes.add(.get, "/v1/events", access: .roles([.responder])) { request, context in
            let query = try Self.query(from: request)
            let page: EventPage
            do {
                page = try await store.events(query)
            } catch let error as StoreError {
                if case .invalidCursor(let reason) = error { throw Problem.badRequest("cursor: \(reason)") }
                throw Problem.serviceUnavailable("The event store is unavailable: \(error).", retryAfterSeconds: 5)
            }
            return Response.json(bytes: EventJSON.page(page, pretty: context.prettyJSON))
        }
    }

    static let filterNames: Set<String> = [
        "from", "to", "source.ip", "destination.ip", "host.name", "user.name", "dataset", "kind", "source",
        "limit", "cursor", "pretty",
    ]

    static func query(from request: Request) throws -> EventQuery {
        var query = EventQuery()
        for (name, value) in request.queryItems {
            guard filterNames.contains(name) else {
                throw Problem.badRequest("Unknown query parameter \(name); filters are \(filterNames.sorted().joined(separator: ", ")).")
            }
            switch name {
            case "from", "to":
                guard let millis = APITimestamps.parse(value) else {
                    throw Problem.badRequest("\(name) must be RFC 3339 (2024-05-17T13:45:22Z) or epoch milliseconds, got \(value).")
                }
                if name == "from" { query.from = millis } else { query.to = millis }
            case "source.ip": query.sourceIP = value
            case "destination.ip": query.destinationIP = value
            case "host.name": query.hostName = value
            case "user.name": query.userName = value
            case "dataset": query.dataset = value
            case "kind":
                guard let kind = EventKind(rawValue: value) else {
                    throw Problem.badRequest("kind must be one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                query.kind = kind
            case "source":
                guard let source = EventSource(rawValue: value) else {
                    throw Problem.badRequest("source must be one of \(EventSource.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                query.source = source
            case "limit":
                guard let limit = Int(value), (1...1000).contains(limit) else {
                    throw Problem.badRequest("limit must be a whole number from 1 to 1000, got \(value).")
                }
                query.limit = limit
            case "cursor": query.cursor = value
            default: break
            }
        }
        if let from = query.from, let to = query.to, from >= to {
            throw Problem.badRequest("from must be before to.")
        }
        return query
    }
}

/// Pages of events as JSON, written by hand: each event's document is already JSON and is
/// copied in as it is, not decoded and encoded again.
enum EventJSON {
    static func page(_ page: EventPage, pretty: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(page.items.reduce(64) { $0 + $1.event.document.count + 256 })
        let newline: [UInt8] = pretty ? [0x0A] : []
        out.append(contentsOf: Array(#"{"items":["#.utf8) + newline)
        for (index, stored) in page.items.enumerated() {
            if index > 0 { out.append(contentsOf: [UInt8(ascii: ",")] + newline) }
            item(stored, into: &out)
        }
        out.append(contentsOf: newline + Array(#"],"next_cursor":"#.utf8))
        if let cursor = page.nextCursor {
            out.append(contentsOf: JSONString.quote(cursor).utf8)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: Array("}".utf8) + newline)
        return out
    }

    static func item(_ stored: StoredEvent, into out: inout [UInt8]) {
        let event = stored.event
        var head = #"{"id":"\#(event.id.rawValue)","@timestamp":"\#(APITimestamps.iso8601(milliseconds: event.timestamp))","#
        head += #""received_at":"\#(APITimestamps.iso8601(milliseconds: event.receivedAt))","source":"\#(event.source.rawValue)","kind":"\#(event.kind.rawValue)""#
        if let severity = event.severity { head += #","severity":"\#(severity.name)""# }
        if let alertID = stored.alertID { head += #","alert_id":\#(alertID)"# }
        head += #","document":"#
        out.append(contentsOf: head.utf8)
        out.append(contentsOf: event.document.isEmpty ? Array("{}".utf8) : event.document)
        out.append(UInt8(ascii: "}"))
    }
}
