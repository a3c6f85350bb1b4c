import Foundation

/// Ingestion settings: dedup, webhook signatures, rate limits. Config keys under `ingest.`
/// and `limits.`, each with an environment variable; no flags (they are deployment policy).
struct IngestOptions {
    var dedupFields: [String]?
    var dedupWindowSeconds: Int = 300
    var escalateAfterRepeats: Int?
    var signingSecrets: [String] = []
    var requireSignature = false
    var ratePerSecond: Double = 2000
    var rateBurst: Int = 4000
    var maxEventBytes: Int = 1 << 20
    var maxQueuedEvents: Int = 200_000

    static func resolve(_ source: inout SettingSource) throws -> IngestOptions {
        var options = IngestOptions()
        options.dedupFields = source.list(env: "MWRASP_DEDUP_FIELDS", key: "ingest.dedup_fields")
        if let value = try source.int(nil, env: "MWRASP_DEDUP_WINDOW", key: "ingest.dedup_window_seconds", range: 1...86_400) {
            options.dedupWindowSeconds = value
        }
        options.escalateAfterRepeats = try source.int(nil, env: "MWRASP_ESCALATE_AFTER", key: "ingest.escalate_after_repeats", range: 2...1_000_000)
        options.signingSecrets = source.list(env: "MWRASP_SIGNING_SECRETS", key: "ingest.signing_secrets") ?? []
        options.requireSignature = try source.bool(env: "MWRASP_REQUIRE_SIGNATURE", key: "ingest.require_signature") ?? false
        if options.requireSignature && options.signingSecrets.isEmpty {
            throw ServeSettings.Invalid(description: "ingest.require_signature needs ingest.signing_secrets (MWRASP_SIGNING_SECRETS)")
        }
        if let value = try source.int(nil, env: "MWRASP_RATE_PER_SECOND", key: "limits.rate_per_second", range: 0...10_000_000) {
            options.ratePerSecond = Double(value)
        }
        if let value = try source.int(nil, env: "MWRASP_RATE_BURST", key: "limits.rate_burst", range: 1...10_000_000) {
            options.rateBurst = value
        }
        if let value = try source.int(nil, env: "MWRASP_MAX_EVENT_BYTES", key: "limits.max_event_bytes", range: 1024...(64 << 20)) {
            options.maxEventBytes = value
        }
        if let value = try source.int(nil, env: "MWRASP_MAX_QUEUED_EVENTS", key: "limits.max_queued_events", range: 1000...10_000_000) {
            options.maxQueuedEvents = value
        }
        return options
    }
}
