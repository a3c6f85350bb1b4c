import Foundation
import Ingestion
import MWRASPCore

/// A detection as the API serves it (`GET /v1/detections`), and as it is stored.
public struct DetectionView: Codable, Sendable, Equatable {
    public var id: String
    public var detector_id: String
    public var type: String
    public var title: String
    public var severity: String
    public var confidence: Double
    public var indicators: [Indicator]
    public var event_ids: [String]
    public var entities: EntitiesView
    public var event_time: String
    public var detected_at: String
    public var latency_seconds: Double
    public var incident_id: String?
    /// Repeats of the same SIEM alert inside the dedup window counted on this detection.
    public var repeat_count: Int?

    public struct EntitiesView: Codable, Sendable, Equatable {
        public var source_ip: String?
        public var destination_ip: String?
        public var user_name: String?
        public var host_name: String?
    }

    public init(_ detection: Detection) {
        let finding = detection.finding
        id = detection.id
        detector_id = finding.detectorID
        type = finding.type.rawValue
        title = finding.title
        severity = finding.severity.name
        confidence = finding.confidence
        indicators = finding.indicators
        event_ids = finding.eventIDs.map(\.rawValue)
        entities = EntitiesView(
            source_ip: finding.entities.sourceIP, destination_ip: finding.entities.destinationIP,
            user_name: finding.entities.userName, host_name: finding.entities.hostName)
        event_time = Timestamps.format(detection.eventTime)
        detected_at = Timestamps.format(detection.detectedAt)
        latency_seconds = detection.latencySeconds
        incident_id = detection.incidentID
    }

    /// Written by hand: one per finding on the pipeline's hot path, where JSONEncoder cost
    /// more than the detectors.
    public func encoded() -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        w.string("id", id)
        w.string("detector_id", detector_id)
        w.string("type", type)
        w.string("title", title)
        w.string("severity", severity)
        w.number("confidence", confidence)
        w.beginArray("indicators")
        for indicator in indicators {
            w.beginObject()
            w.string("name", indicator.name)
            w.string("value", indicator.value)
            w.endObject()
        }
        w.endArray()
        w.beginArray("event_ids")
        for eventID in event_ids { w.string(eventID) }
        w.endArray()
        w.beginObject("entities")
        w.string("source_ip", entities.source_ip)
        w.string("destination_ip", entities.destination_ip)
        w.string("user_name", entities.user_name)
        w.string("host_name", entities.host_name)
        w.endObject()
        w.string("event_time", event_time)
        w.string("detected_at", detected_at)
        w.number("latency_seconds", latency_seconds)
        w.string("incident_id", incident_id)
        if let repeat_count { w.integer("repeat_count", repeat_count) }
        w.endObject()
        return w.finish()
    }
}
