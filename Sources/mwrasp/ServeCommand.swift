import API
import ArgumentParser
import Foundation
import Ingestion
import Logging
import NetIO
import Pipeline
import Security
import Storage
import WebServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server.",
        discussion: """
            Every option also has a config-file key and an environment variable; a flag wins \
            over the environment, which wins over the file. See deploy/mwrasp.example.yaml.
            """)

    @Option(name: .long, help: "YAML config file (MWRASP_CONFIG).") var config: String?
    @Option(name: .long, help: "Plain HTTP listener, HOST:PORT (listen, MWRASP_LISTEN). Default 127.0.0.1:8080.") var listen: String?
    @Option(name: .long, help: "Data directory (data_dir, MWRASP_DATA_DIR). Default ./data.") var dataDir: String?
    @Option(name: .long, help: "HTTPS listener, HOST:PORT (tls.listen, MWRASP_TLS_LISTEN).") var tlsListen: String?
    @Option(name: .long, help: "PEM certificate chain (tls.cert, MWRASP_TLS_CERT).") var tlsCert: String?
    @Option(name: .long, help: "PEM private key (tls.key, MWRASP_TLS_KEY).") var tlsKey: String?
    @Option(name: .long, help: "CA file: require and verify client certificates (tls.client_ca, MWRASP_TLS_CLIENT_CA).") var tlsClientCa: String?
    @Option(name: .long, help: "trace|debug|info|notice|warning|error|critical (log.level, MWRASP_LOG_LEVEL). Default info.") var logLevel: String?
    @Option(name: .long, help: "text|json (log.format, MWRASP_LOG_FORMAT). Default text.") var logFormat: String?
    @Option(name: .long, help: "Event-loop threads (threads, MWRASP_THREADS). Default: one per core.") var threads: Int?
    @Option(name: .long, help: "Open-connection limit (limits.max_connections, MWRASP_MAX_CONNECTIONS). Default 10000.") var maxConnections: Int?
    @Option(name: .long, help: "Seconds to receive a request head (limits.header_timeout_seconds, MWRASP_HEADER_TIMEOUT). Default 10.") var headerTimeout: Double?
    @Option(name: .long, help: "Seconds an idle keep-alive connection stays open (limits.idle_timeout_seconds, MWRASP_IDLE_TIMEOUT). Default 60.") var idleTimeout: Double?
    @Option(name: .long, help: "Longest pause inside a request body, seconds (limits.body_timeout_seconds, MWRASP_BODY_TIMEOUT). Default 30.") var bodyTimeout: Double?
    @Option(name: .long, help: "Request body limit in bytes (limits.max_body_bytes, MWRASP_MAX_BODY_BYTES). Default 10485760.") var maxBodyBytes: Int?
    @Option(name: .long, help: "Header section limit in bytes (limits.max_header_bytes, MWRASP_MAX_HEADER_BYTES). Default 16384.") var maxHeaderBytes: Int?
    @Option(name: .long, help: "Header field count limit (limits.max_header_count, MWRASP_MAX_HEADER_COUNT). Default 100.") var maxHeaderCount: Int?
    @Option(name: .long, help: "Sigma rules directory, read recursively (rules_dir, MWRASP_RULES_DIR).") var rulesDir: String?
    @Option(name: .long, help: "Extra catalog definitions (catalog_dir, MWRASP_CATALOG_DIR).") var catalogDir: String?
    @Option(name: .long, help: "Seconds graceful shutdown waits for in-flight requests (shutdown_grace_seconds, MWRASP_SHUTDOWN_GRACE). Default 30.") var shutdownGrace: Double?

    func run() throws {
        let settings = try ServeSettings.resolve(flags: self, environment: ProcessInfo.processInfo.environment)
        let logger = LoggingBootstrap.bootstrap(level: settings.logLevel, format: settings.logFormat)
        let metrics = MetricsBootstrap.bootstrap()

        let store = try openStore(settings, logger: logger)
        var environment = try makeEnvironment(settings, store: store)
        let detection = try blocking {
            try await DetectionRuntime.open(store: store, settings: settings.detection, now: APIClock.system.nowMilliseconds, logger: logger)
        }
        print(detection.rules.report.summaryLine)
        environment.detection = detection
        let tokens = TokenService(store: store, registry: environment.tokens)
        if let printed = try blocking({ try await tokens.bootstrap(adminToken: ProcessInfo.processInfo.environment["MWRASP_ADMIN_TOKEN"]) }) {
            print("First start: admin token (shown once, store it now): \(printed.plaintext)")
        }
        try blocking { try await tokens.refresh() }
        let refresher = Task.detached {
            // Every few seconds: tokens made with `mwrasp token create` while the server runs,
            // last-use times, and memory back to the system (glibc keeps what bulk bodies
            // freed in its arenas otherwise, so RSS would stay at its high-water mark).
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                do { try await tokens.refresh() } catch { logger.warning("token refresh failed", metadata: ["error": "\(error)"]) }
                // Canary hit counts seen in events are counted in memory; write them back.
                do { try await detection.saveCanaries() } catch { logger.warning("saving canaries failed", metadata: ["error": "\(error)"]) }
                ProcessMemory.returnFreedMemory()
            }
        }

        try blocking { try await detection.start() }
        let operational = OperationalRoutes(
            readinessChecks: {
                [ReadinessResult(name: "store", ready: await store.isHealthy()),
                 ReadinessResult(name: "catalog", ready: !detection.catalog.definitions.isEmpty)]
            },
            renderMetrics: { metrics.emitToBuffer() })
        let responder = try APIRouter.responder(
            operational: operational, environment: environment,
            maxInflatedBodyBytes: settings.server.limits.maxBodyBytes, logger: logger)
        let server = try HTTPServer(configuration: settings.server, responder: responder, logger: logger)
        let bound = try server.start()
        for listener in bound {
            print("mwrasp listening on \(listener.url)")
            logger.info("listening", metadata: ["url": "\(listener.url)"])
        }
        fflush(nil)  // all streams: the listening lines must reach a pipe now

        let signals = SignalHandling()
        signals.onReload {
            let errors = server.reloadTLS()
            if errors.isEmpty {
                logger.notice("TLS certificates reloaded")
            } else {
                logger.error("TLS reload failed; still serving the previous certificate", metadata: ["error": "\(errors)"])
            }
        }
        signals.waitForTermination()
        logger.notice("shutting down", metadata: ["open_connections": "\(server.openConnectionCount)"])
        server.shutdown()
        refresher.cancel()
        blocking { await detection.stop() }
        blocking { await store.close() }
        logger.notice("stopped")
    }

    private func openStore(_ settings: ServeSettings, logger: Logger) throws -> SQLiteStore {
        var configuration = StoreConfiguration(dataDirectory: settings.dataDirectory)
        configuration.dedupWindowMilliseconds = Int64(settings.ingest.dedupWindowSeconds) * 1000
        configuration.escalateAfterRepeats = settings.ingest.escalateAfterRepeats
        configuration.maxQueuedEvents = settings.ingest.maxQueuedEvents
        logger.info("opening store", metadata: ["data_dir": "\(settings.dataDirectory)"])
        return try SQLiteStore(configuration: configuration)
    }

    private func makeEnvironment(_ settings: ServeSettings, store: any Store) throws -> APIEnvironment {
        let fingerprinter = try settings.ingest.dedupFields.map { try Fingerprinter(fields: $0) } ?? Fingerprinter()
        let signature = settings.ingest.signingSecrets.isEmpty ? nil
            : WebhookSignature(secrets: settings.ingest.signingSecrets.map { Array($0.utf8) })
        let limiter = settings.ingest.ratePerSecond > 0
            ? RateLimiter(ratePerSecond: settings.ingest.ratePerSecond, burst: settings.ingest.rateBurst) : nil
        return APIEnvironment(
            store: store, tokens: TokenRegistry(), rateLimiter: limiter,
            ingest: IngestSettings(fingerprinter: fingerprinter, signature: signature,
                                   requireSignature: settings.ingest.requireSignature, maxEventBytes: settings.ingest.maxEventBytes))
    }
}

/// Runs async start-up and shut-down work from the synchronous command.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

func blocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        await body()
        done.signal()
    }
    done.wait()
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
