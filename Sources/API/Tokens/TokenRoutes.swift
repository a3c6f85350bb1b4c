import Foundation
import HTTPCore
import MWRASPCore
import Storage
import WebServer

/// `/v1/tokens` for admins: the same operations as `mwrasp token`.
struct TokenRoutes {
    let service: TokenService

    struct CreateBody: Decodable {
        var name: String
        var role: String
    }

    struct TokenView: Encodable {
        var id: String
        var name: String
        var role: String
        var created_at: String
        var revoked_at: String?
        var last_used_at: String?
        var token: String?

        init(_ record: TokenRecord, token: String? = nil) {
            id = record.id
            name = record.name
            role = record.role.rawValue
            created_at = APITimestamps.iso8601(milliseconds: record.createdAt)
            revoked_at = record.revokedAt.map { APITimestamps.iso8601(milliseconds: $0) }
            last_used_at = record.lastUsedAt.map { APITimestamps.iso8601(milliseconds: $0) }
            self.token = token
        }
    }

    struct TokenList: Encodable {
        var items: [TokenView]
    }

    func register(into routes: inout APIRoutes) {
        let service = self.service
        routes.add(.get, "/v1/tokens", access: .roles([.admin])) { _, context in
            let records = try await Self.storage { () throws(StoreError) in try await service.list() }
            return try JSONResponse.make(TokenList(items: records.map { TokenView($0) }), context: context)
        }
        routes.add(.post, "/v1/tokens", access: .roles([.admin])) { request, context in
            let body: CreateBody
            do {
                body = try JSONDecoder().decode(CreateBody.self, from: Data(request.body))
            } catch {
                throw Problem.badRequest("The body must be {\"name\": string, \"role\": one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))}.")
            }
            guard let role = Role(rawValue: body.role) else {
                throw Problem.badRequest("role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", ")), got \(body.role).")
            }
            guard (1...200).contains(body.name.count) else { throw Problem.badRequest("name must be 1-200 characters.") }
            let (record, secret) = try await Self.storage { () throws(StoreError) in try await service.create(name: body.name, role: role) }
            return try JSONResponse.make(TokenView(record, token: secret.plaintext), status: .created, context: context)
        }
        routes.add(.delete, "/v1/tokens/{id}", access: .roles([.admin])) { _, context in
            let id = context.parameters["id"] ?? ""
            guard try await Self.storage({ () throws(StoreError) in try await service.revoke(id: id) }) else {
                throw Problem.notFound("No active token \(id).")
            }
            return Response(status: .noContent)
        }
    }

    static func storage<T>(_ body: () async throws(StoreError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Problem.serviceUnavailable("The token store is unavailable: \(error).", retryAfterSeconds: 5)
        }
    }
}
