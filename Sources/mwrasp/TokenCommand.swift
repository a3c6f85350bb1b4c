import API
import ArgumentParser
import Foundation
import MWRASPCore
import Security
import Storage

/// `mwrasp token create|list|revoke`: manage API tokens in the data directory's store. A
/// running server picks the changes up within seconds.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct StoreOptions: ParsableArguments {
        @Option(name: .long, help: "Data directory (MWRASP_DATA_DIR). Default ./data.") var dataDir: String?

        func service() throws -> (TokenService, SQLiteStore) {
            let directory = dataDir ?? ProcessInfo.processInfo.environment["MWRASP_DATA_DIR"] ?? "./data"
            let store = try SQLiteStore(configuration: StoreConfiguration(dataDirectory: directory))
            return (TokenService(store: store, registry: TokenRegistry()), store)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token; its secret is printed once.")
        @OptionGroup var storeOptions: StoreOptions
        @Option(name: .long, help: "ingest | responder | ticketing | admin") var role: String
        @Option(name: .long, help: "A name that says who uses it.") var name: String = "cli"

        func run() throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("role must be one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let (service, store) = try storeOptions.service()
            let name = self.name
            let (record, secret) = try blocking { try await service.create(name: name, role: role) }
            blocking { await store.close() }
            print("id:    \(record.id)\nrole:  \(record.role.rawValue)\nname:  \(record.name)\ntoken: \(secret.plaintext)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let (service, store) = try storeOptions.service()
            let records = try blocking { try await service.list() }
            blocking { await store.close() }
            for record in records {
                let state = record.revokedAt == nil ? "active" : "revoked"
                print("\(record.id)\t\(record.role.rawValue)\t\(state)\t\(record.name)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The token id (tok_...).") var id: String

        func run() throws {
            let (service, store) = try storeOptions.service()
            let id = self.id
            let revoked = try blocking { try await service.revoke(id: id) }
            blocking { await store.close() }
            guard revoked else {
                print("no active token \(id)")
                throw ExitCode(1)
            }
            print("revoked \(id)")
        }
    }
}
