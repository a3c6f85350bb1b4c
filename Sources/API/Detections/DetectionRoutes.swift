import HTTPCore
import MWRASPCore
import Storage
import WebServer

/// `GET /v1/detections` and `GET /v1/detections/{id}`: every finding the detectors made.
struct DetectionRoutes {
    let environment: APIEnvironment

    func register(into routes: inout APIRoutes) {
        let environment = self.environment
        routes.add(.get, "/v1/detections", access: .roles([.responder, .ticketing])) { request, context in
            let runtime = try environment.detectionRuntime()
            var query = RecordQuery()
            try ListParameters.apply(request, allowed: ["type", "incident_id", "detector_id", "severity"], to: &query) { name, value, query in
                switch name {
                case "type":
                    guard DetectionType(rawValue: value) != nil else {
                        throw Problem.badRequest("type must be one of \(DetectionType.allCases.map(\.rawValue).joined(separator: ", ")), got \(value).")
                    }
                    query.type = value
                case "incident_id": query.incidentID = value
                case "detector_id": query.detectorID = value
                default: query.severity = try ListParameters.severity(value)
                }
            }
            let page = try await detectionStorage { () throws(StoreError) in try await runtime.store.detections(query) }
            return RecordJSON.response(RecordJSON.page(page), pretty: context.prettyJSON)
        }
        routes.add(.get, "/v1/detections/{id}", access: .roles([.responder, .ticketing])) { _, context in
            let runtime = try environment.detectionRuntime()
            let id = context.parameters["id"] ?? ""
            guard let document = try await detectionStorage({ () throws(StoreError) in try await runtime.store.detection(id: id) }) else {
                throw Problem.notFound("No detection \(id).")
            }
            return RecordJSON.response(document, pretty: context.prettyJSON)
        }
    }
}
