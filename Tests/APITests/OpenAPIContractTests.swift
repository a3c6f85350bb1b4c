import API
import Foundation
import HTTPCore
import Testing
import WebServer

/// openapi.yaml is the contract clients are written against: the routes the server
/// registers and the operations the document lists must be the same set.
@Suite struct OpenAPIContractTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `METHOD /path/{param}` for each operation under `paths:` (two-space path keys,
    /// four-space method keys, as the file is written).
    static func specOperations() throws -> Set<String> {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var inPaths = false
        var currentPath: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = line == "paths:"
                currentPath = nil
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && line.hasSuffix(":") && !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if let path = currentPath, line.hasPrefix("    ") && !line.hasPrefix("     ") && line.hasSuffix(":") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if methods.contains(String(key)) { operations.insert("\(key.uppercased()) \(path)") }
            }
        }
        return operations
    }

    @Test func everyRegisteredRoute_isInOpenAPI_andEveryOperationIsRegistered() async throws {
        let harness = try await APITestHarness()
        let spec = try Self.specOperations()
        let registered = Set(harness.responder.router.templates.map { "\($0.method.rawValue) \($0.template)" })
        #expect(!spec.isEmpty)
        #expect(registered.subtracting(spec).sorted() == [], "routes missing from openapi.yaml")
        #expect(spec.subtracting(registered).sorted() == [], "operations in openapi.yaml that the server does not serve")
    }
}
