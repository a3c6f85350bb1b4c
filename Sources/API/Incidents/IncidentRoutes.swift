import Foundation
import HTTPCore
import Incidents
import MWRASPCore
import Pipeline
import Storage
import WebServer

/// `/v1/incidents`: the incidents correlation opened, their timelines and post-mortems, and
/// the responder's PATCH (phase forward only, assignee, disposition).
struct IncidentRoutes {
    let environment: APIEnvironment

    func register(into routes: inout APIRoutes) {
        let environment = self.environment
        routes.add(.get, "/v1/incidents", access: .roles([.responder, .ticketing])) { request, context in
            let runtime = try environment.detectionRuntime()
            var query = RecordQuery()
            try ListParameters.apply(request, allowed: ["status", "severity", "phase"], to: &query) { name, value, query in
                switch name {
                case "status":
                    guard IncidentStatus(rawValue: value) != nil else {
                        throw Problem.badRequest("status must be one of \(IncidentStatus.allCases.map(\.rawValue).joined(separator: ", ")), got \(value).")
                    }
                    query.status = value
                case "phase":
                    guard IncidentPhase(rawValue: value) != nil else {
                        throw Problem.badRequest("phase must be one of \(IncidentPhase.allCases.map(\.rawValue).joined(separator: ", ")), got \(value).")
                    }
                    query.phase = value
                default: query.severity = try ListParameters.severity(value)
                }
            }
            let page = try await detectionStorage { () throws(StoreError) in try await runtime.store.incidents(query) }
            return RecordJSON.response(RecordJSON.page(page), pretty: context.prettyJSON)
        }
        routes.add(.get, "/v1/incidents/{id}", access: .roles([.responder, .ticketing])) { _, context in
            let runtime = try environment.detectionRuntime()
            return RecordJSON.response(try await Self.document(runtime, context), pretty: context.prettyJSON)
        }
        routes.add(.patch, "/v1/incidents/{id}", access: .roles([.responder])) { request, context in
            let runtime = try environment.detectionRuntime()
            let id = context.parameters["id"] ?? ""
            var patch = try IncidentPatchBody.decode(request.body)
            patch.actor = context.values[PrincipalKey.self]?.name
            var result = Result { () throws(IncidentError) in try runtime.incidents.book.apply(patch, to: id, now: runtime.now()) }
            if case .failure(.notFound) = result {
                // Closed and dormant incidents leave memory; their stored record comes back.
                let found: Bool
                do {
                    found = try await runtime.incidents.readopt(id: id, from: runtime.store)
                } catch {
                    throw Problem.serviceUnavailable("The stored incident \(id) could not be read: \(error).", retryAfterSeconds: 5)
                }
                if found {
                    result = Result { () throws(IncidentError) in try runtime.incidents.book.apply(patch, to: id, now: runtime.now()) }
                }
            }
            guard case .success(let update) = result else {
                if case .failure(let error) = result { throw Self.problem(error) }
                fatalError("unreachable")
            }
            let (row, timeline) = runtime.incidents.rows(for: update)
            try await detectionStorage { () throws(StoreError) in try await runtime.store.saveIncidents([row], timeline: timeline) }
            return RecordJSON.response(row.document, pretty: context.prettyJSON)
        }
        routes.add(.get, "/v1/incidents/{id}/timeline", access: .roles([.responder, .ticketing])) { _, context in
            let runtime = try environment.detectionRuntime()
            let id = context.parameters["id"] ?? ""
            _ = try await Self.document(runtime, context)
            let entries = try await detectionStorage { () throws(StoreError) in try await runtime.store.timeline(incidentID: id) }
            return RecordJSON.response(RecordJSON.array(entries), pretty: context.prettyJSON)
        }
        routes.add(.get, "/v1/incidents/{id}/postmortem", access: .roles([.responder, .ticketing])) { _, context in
            let runtime = try environment.detectionRuntime()
            let id = context.parameters["id"] ?? ""
            let postmortem: Postmortem
            if let live = try? runtime.incidents.book.postmortem(id: id, now: runtime.now()) {
                postmortem = live
            } else {
                // Older incidents are no longer in memory: rebuilt from the stored record.
                let document = try await Self.document(runtime, context)
                let decoder = JSONDecoder()
                let entries = try await detectionStorage { () throws(StoreError) in try await runtime.store.timeline(incidentID: id) }
                do {
                    let incident = try decoder.decode(Incident.self, from: Data(document))
                    let timeline = try entries.map { try decoder.decode(TimelineEntry.self, from: Data($0)) }
                    postmortem = Postmortem(incident: incident, timeline: timeline, generatedAt: runtime.now())
                } catch {
                    throw Problem.serviceUnavailable("The stored incident \(id) could not be read: \(error).", retryAfterSeconds: 5)
                }
            }
            return try JSONResponse.make(postmortem, context: context)
        }
    }

    static func document(_ runtime: DetectionRuntime, _ context: RequestContext) async throws -> [UInt8] {
        let id = context.parameters["id"] ?? ""
        guard let document = try await detectionStorage({ () throws(StoreError) in try await runtime.store.incident(id: id) }) else {
            throw Problem.notFound("No incident \(id).")
        }
        return document
    }

    static func problem(_ error: IncidentError) -> Problem {
        switch error {
        case .notFound(let id): Problem.notFound("No incident \(id).")
        case .invalidTransition:
            Problem(status: .conflict, slug: "invalid-transition", title: "Transition not allowed",
                    detail: "\(error). Phases only move forward: detection, containment, eradication, recovery, lessons_learned, closed.")
        case .invalidPatch(let reason):
            Problem(status: .unprocessableContent, slug: "invalid-patch", title: "Invalid change", detail: reason)
        }
    }
}

/// The PATCH body: `{"phase"?, "assignee"?, "disposition"?, "note"?}`, at least one of the first three.
enum IncidentPatchBody {
    static func decode(_ body: [UInt8]) throws -> IncidentPatch {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw Problem.badRequest("The body must be a JSON object with phase, assignee, disposition and/or note.")
        }
        let known: Set<String> = ["phase", "assignee", "disposition", "note"]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw Problem.badRequest("Unknown field \(unknown); fields are \(known.sorted().joined(separator: ", ")).")
        }
        var patch = IncidentPatch()
        if let value = object["phase"] {
            guard let text = value as? String, let phase = IncidentPhase(rawValue: text) else {
                throw Problem.badRequest("phase must be one of \(IncidentPhase.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            patch.phase = phase
        }
        if let value = object["assignee"] {
            guard let text = value as? String, text.count <= 200 else { throw Problem.badRequest("assignee must be a string of at most 200 characters (\"\" unassigns).") }
            patch.assignee = text
        }
        if let value = object["disposition"] {
            guard let text = value as? String, let disposition = Disposition(rawValue: text) else {
                throw Problem.badRequest("disposition must be one of \(Disposition.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            patch.disposition = disposition
        }
        if let value = object["note"] {
            guard let text = value as? String, text.count <= 2000 else { throw Problem.badRequest("note must be a string of at most 2000 characters.") }
            patch.note = text
        }
        guard !patch.isEmpty else { throw Problem.badRequest("Nothing to change: give phase, assignee or disposition.") }
        return patch
    }
}
