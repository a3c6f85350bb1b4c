import ArgumentParser
import Foundation
import HTTPCore
import Logging
import NetIO
import Pipeline
import WebServer
import Yams

/// The server's settings after merging, in order of precedence: command-line flag,
/// environment variable, config-file key, built-in default.
struct ServeSettings {
    var server: HTTPServer.Configuration
    var dataDirectory: String
    var ingest: IngestOptions
    var detection: DetectionSettings
    var logLevel: Logger.Level
    var logFormat: LoggingBootstrap.Format

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    static func resolve(flags: ServeCommand, environment: [String: String]) throws -> ServeSettings {
        let configPath = flags.config ?? environment["MWRASP_CONFIG"]
        let file = try configPath.map(ConfigFile.load) ?? ConfigFile(values: [:])
        var source = SettingSource(environment: environment, file: file)

        let listenText = source.string(flags.listen, env: "MWRASP_LISTEN", key: "listen") ?? "127.0.0.1:8080"
        var listeners = [HTTPServer.Listener(address: try address(listenText, setting: "listen"))]
        if let tlsListen = source.string(flags.tlsListen, env: "MWRASP_TLS_LISTEN", key: "tls.listen") {
            guard let cert = source.string(flags.tlsCert, env: "MWRASP_TLS_CERT", key: "tls.cert"),
                  let key = source.string(flags.tlsKey, env: "MWRASP_TLS_KEY", key: "tls.key") else {
                throw Invalid(description: "a TLS listener needs both a certificate (--tls-cert) and a key (--tls-key)")
            }
            let clientCA = source.string(flags.tlsClientCa, env: "MWRASP_TLS_CLIENT_CA", key: "tls.client_ca")
            listeners.append(HTTPServer.Listener(
                address: try address(tlsListen, setting: "tls.listen"),
                tls: TLSConfiguration(certificateChainPath: cert, privateKeyPath: key, clientCAPath: clientCA)))
        }

        var server = HTTPServer.Configuration(listeners: listeners)
        if let threads = try source.int(flags.threads, env: "MWRASP_THREADS", key: "threads", range: 1...256) {
            server.loopCount = threads
        }
        if let value = try source.int(flags.maxConnections, env: "MWRASP_MAX_CONNECTIONS", key: "limits.max_connections", range: 1...1_000_000) {
            server.maxConnections = value
        }
        if let value = try source.seconds(flags.headerTimeout, env: "MWRASP_HEADER_TIMEOUT", key: "limits.header_timeout_seconds") {
            server.timeouts.header = value
        }
        if let value = try source.seconds(flags.idleTimeout, env: "MWRASP_IDLE_TIMEOUT", key: "limits.idle_timeout_seconds") {
            server.timeouts.idle = value
        }
        if let value = try source.seconds(flags.bodyTimeout, env: "MWRASP_BODY_TIMEOUT", key: "limits.body_timeout_seconds") {
            server.timeouts.body = value
        }
        if let value = try source.int(flags.maxBodyBytes, env: "MWRASP_MAX_BODY_BYTES", key: "limits.max_body_bytes", range: 0...(1 << 34)) {
            server.limits.maxBodyBytes = value
        }
        if let value = try source.int(flags.maxHeaderBytes, env: "MWRASP_MAX_HEADER_BYTES", key: "limits.max_header_bytes", range: 1024...(1 << 20)) {
            server.limits.maxHeaderBytes = value
        }
        if let value = try source.int(flags.maxHeaderCount, env: "MWRASP_MAX_HEADER_COUNT", key: "limits.max_header_count", range: 1...10_000) {
            server.limits.maxHeaderCount = value
        }
        if let value = try source.seconds(flags.shutdownGrace, env: "MWRASP_SHUTDOWN_GRACE", key: "shutdown_grace_seconds") {
            server.shutdownGracePeriod = value
        }

        let levelText = source.string(flags.logLevel, env: "MWRASP_LOG_LEVEL", key: "log.level") ?? "info"
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            throw Invalid(description: "log level \(levelText) is not one of trace, debug, info, notice, warning, error, critical")
        }
        let formatText = source.string(flags.logFormat, env: "MWRASP_LOG_FORMAT", key: "log.format") ?? "text"
        guard let format = LoggingBootstrap.Format(rawValue: formatText.lowercased()) else {
            throw Invalid(description: "log format \(formatText) is not text or json")
        }
        let dataDirectory = source.string(flags.dataDir, env: "MWRASP_DATA_DIR", key: "data_dir") ?? "./data"
        let ingest = try IngestOptions.resolve(&source)
        let detection = try DetectionOptions.resolve(
            &source, rulesDirFlag: flags.rulesDir, catalogDirFlag: flags.catalogDir, listen: listenText)
        try source.rejectUnknownFileKeys()
        return ServeSettings(server: server, dataDirectory: dataDirectory, ingest: ingest, detection: detection,
                             logLevel: level, logFormat: format)
    }

    private static func address(_ text: String, setting: String) throws -> SocketAddress {
        guard let address = SocketAddress(parsing: text) else {
            throw Invalid(description: "\(setting) \(text) is not HOST:PORT with an IPv4 or [IPv6] address")
        }
        return address
    }
}

/// Looks a setting up flag first, then environment, then file, and remembers which file
/// keys were used so that a misspelt key is an error, not a silently ignored line.
struct SettingSource {
    let environment: [String: String]
    let file: ConfigFile
    private(set) var usedKeys: Set<String> = []

    init(environment: [String: String], file: ConfigFile) {
        self.environment = environment
        self.file = file
    }

    mutating func string(_ flag: String?, env: String, key: String) -> String? {
        usedKeys.insert(key)
        if let flag { return flag }
        if !env.isEmpty, let value = environment[env], !value.isEmpty { return value }
        return file.values[key]
    }

    mutating func int(_ flag: Int?, env: String, key: String, range: ClosedRange<Int>) throws -> Int? {
        let text = string(flag.map(String.init), env: env, key: key)
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ServeSettings.Invalid(description: "\(key) (\(env)) must be a whole number in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return value
    }

    /// `true`/`false` (also yes/no, 1/0).
    mutating func bool(env: String, key: String) throws -> Bool? {
        guard let text = string(nil, env: env, key: key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw ServeSettings.Invalid(description: "\(key) (\(env)) must be true or false, got \(text)")
        }
    }

    /// A comma-separated list.
    mutating func list(env: String, key: String) -> [String]? {
        string(nil, env: env, key: key).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    mutating func seconds(_ flag: Double?, env: String, key: String) throws -> Duration? {
        let text = string(flag.map { String($0) }, env: env, key: key)
        guard let text else { return nil }
        guard let value = Double(text), value > 0, value <= 86_400 else {
            throw ServeSettings.Invalid(description: "\(key) (\(env)) must be a number of seconds in (0, 86400], got \(text)")
        }
        return .milliseconds(Int64(value * 1000))
    }

    func rejectUnknownFileKeys() throws {
        let unknown = Set(file.values.keys).subtracting(usedKeys).sorted()
        guard unknown.isEmpty else {
            throw ServeSettings.Invalid(description: "unknown config key(s): \(unknown.joined(separator: ", "))")
        }
    }
}

/// A YAML config file flattened to dotted keys: `tls: {listen: ...}` becomes `tls.listen`.
struct ConfigFile {
    let values: [String: String]

    static func load(_ path: String) throws -> ConfigFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ServeSettings.Invalid(description: "cannot read config file \(path): \(error.localizedDescription)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ServeSettings.Invalid(description: "config file \(path) is not valid YAML: \(error)")
        }
        var values: [String: String] = [:]
        if let node { try flatten(node, prefix: "", into: &values, path: path) }
        return ConfigFile(values: values)
    }

    private static func flatten(_ node: Node, prefix: String, into values: inout [String: String], path: String) throws {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.string else { continue }
                try flatten(value, prefix: prefix.isEmpty ? name : "\(prefix).\(name)", into: &values, path: path)
            }
        case .scalar(let scalar):
            if scalar.string != "~" && scalar.string != "null" { values[prefix] = scalar.string }
        case .sequence, .alias:
            throw ServeSettings.Invalid(description: "config file \(path): \(prefix) must be a single value")
        }
    }
}
