import Detection
import HTTPCore
import WebServer

/// `GET /v1/catalog`: the built-in detectors of the seed (QTD-001...) and the deployment's
/// own definitions, with each threshold's default (the seed's number; a deployment's
/// overrides apply to the detectors, not to this listing) and the workflows they trigger.
struct CatalogRoutes {
    let environment: APIEnvironment

    struct Listing: Encodable {
        var items: [CatalogDefinition]
        var workflow_ids: [String]
    }

    func register(into routes: inout APIRoutes) {
        let environment = self.environment
        routes.add(.get, "/v1/catalog", access: .roles([.responder, .ticketing])) { request, context in
            if let unknown = request.queryItems.first(where: { $0.name != "pretty" }) {
                throw Problem.badRequest("Unknown query parameter \(unknown.name).")
            }
            let catalog = try environment.detectionRuntime().catalog
            return try JSONResponse.make(Listing(items: catalog.definitions, workflow_ids: catalog.workflowIDs), context: context)
        }
    }
}
