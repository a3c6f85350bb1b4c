import Detection
import Foundation
import HTTPCore
import MWRASPCore
import Pipeline
import WebServer

/// `/v1/iocs`: named lists of indicators of compromise (IPs, CIDRs, domains, hashes, URLs)
/// that the IOC detector matches every event against.
struct IOCRoutes {
    let environment: APIEnvironment

    struct EntryBody: Decodable {
        var value: String
        var kind: String?
        var description: String?
        var severity: String?
    }

    struct ListBody: Decodable {
        var id: String?
        var name: String
        var entries: [EntryBody]
    }

    struct Summary: Encodable {
        var id: String
        var name: String
        var entry_count: Int
    }

    struct Stored: Encodable {
        var id: String
        var name: String
        var entries: [IOCEntry]
        var rejected: [Rejected]
    }

    struct Rejected: Encodable {
        var value: String
        var reason: String
    }

    static let maxEntries = 1_000_000

    func register(into routes: inout APIRoutes) {
        let environment = self.environment
        routes.add(.get, "/v1/iocs", access: .roles([.responder])) { _, context in
            let library = try environment.detectionRuntime().iocs
            let items = library.all().map { Summary(id: $0.id, name: $0.name, entry_count: $0.entries.count) }
            return try JSONResponse.make(["items": items], context: context)
        }
        routes.add(.post, "/v1/iocs", access: .roles([.responder])) { request, context in
            let runtime = try environment.detectionRuntime()
            let list = try Self.decode(request.body)
            if runtime.iocs.list(id: list.id) != nil {
                throw Problem(status: .conflict, slug: "ioc-list-exists", title: "IOC list exists",
                              detail: "An IOC list with id \(list.id) exists; DELETE it first or use another id.")
            }
            let rejected: [IOCRejectedEntry]
            do {
                rejected = try await runtime.iocs.put(list, createdAt: runtime.now())
            } catch {
                throw Problem.serviceUnavailable("The IOC list could not be stored: \(error).", retryAfterSeconds: 5)
            }
            let body = Stored(id: list.id, name: list.name, entries: list.entries,
                              rejected: rejected.map { Rejected(value: $0.value, reason: $0.reason) })
            return try JSONResponse.make(body, status: .created, context: context)
        }
        routes.add(.get, "/v1/iocs/{id}", access: .roles([.responder])) { _, context in
            let id = context.parameters["id"] ?? ""
            guard let list = try environment.detectionRuntime().iocs.list(id: id) else { throw Problem.notFound("No IOC list \(id).") }
            return try JSONResponse.make(Stored(id: list.id, name: list.name, entries: list.entries, rejected: []), context: context)
        }
        routes.add(.delete, "/v1/iocs/{id}", access: .roles([.responder])) { _, context in
            let runtime = try environment.detectionRuntime()
            let id = context.parameters["id"] ?? ""
            let deleted: Bool
            do {
                deleted = try await runtime.iocs.delete(id: id)
            } catch {
                throw Problem.serviceUnavailable("The IOC list could not be deleted: \(error).", retryAfterSeconds: 5)
            }
            guard deleted else { throw Problem.notFound("No IOC list \(id).") }
            return Response(status: .noContent)
        }
    }

    /// Entries are checked one by one: an entry whose value is not valid for its kind (or of
    /// no known kind) is refused with its index and why, and nothing is stored.
    static func decode(_ body: [UInt8]) throws -> IOCList {
        let parsed: ListBody
        do {
            parsed = try JSONDecoder().decode(ListBody.self, from: Data(body))
        } catch {
            throw Problem.badRequest(#"The body must be {"name": string, "id"?: string, "entries": [{"value": string, "kind"?: ip|cidr|domain|hash|url, "description"?: string, "severity"?: string}]}."#)
        }
        guard (1...200).contains(parsed.name.count) else { throw Problem.badRequest("name must be 1-200 characters.") }
        let id = parsed.id ?? "ioc_" + EventID(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).rawValue
        guard (1...100).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw Problem.badRequest("id must be 1-100 characters of letters, digits, '-', '_' or '.'.")
        }
        guard parsed.entries.count <= maxEntries else { throw Problem.payloadTooLarge("At most \(maxEntries) entries per list.") }
        var entries: [IOCEntry] = []
        entries.reserveCapacity(parsed.entries.count)
        for (index, body) in parsed.entries.enumerated() {
            var severity: Severity?
            if let word = body.severity {
                guard let parsedSeverity = Severity(vendor: word) else {
                    throw Problem.badRequest("entries[\(index)].severity: '\(word)' is not a severity (critical, high, medium, low, info).")
                }
                severity = parsedSeverity
            }
            let entry: IOCEntry
            if let kindText = body.kind {
                guard let kind = IOCKind(rawValue: kindText) else {
                    throw Problem.badRequest("entries[\(index)].kind must be one of \(IOCKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                entry = IOCEntry(value: body.value, kind: kind, description: body.description, severity: severity)
            } else {
                guard let detected = IOCEntry(value: body.value, description: body.description, severity: severity) else {
                    throw Problem.badRequest("entries[\(index)].value: '\(body.value)' is not an IP, CIDR, domain, hash or URL.")
                }
                entry = detected
            }
            if let problem = entry.problem { throw Problem.badRequest("entries[\(index)].value: \(problem).") }
            entries.append(entry)
        }
        return IOCList(id: id, name: parsed.name, entries: entries)
    }
}
