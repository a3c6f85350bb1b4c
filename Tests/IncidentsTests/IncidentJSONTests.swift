import Foundation
import MWRASPCore
import Testing
@testable import Incidents

/// `Incident.jsonBytes()` / `TimelineEntry.jsonBytes()` against the Codable encoding, over many
/// incidents built through the real `IncidentBook` (every intermediate snapshot too) and a few
/// hand-edited ones for values the book cannot produce.
@Suite struct IncidentJSONTests {
    // MARK: comparison

    /// What the pipeline uses today (`IncidentService.encode`).
    static func storageEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The brief's reference: sorted keys, default slash escaping.
    static func sortedEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// Paths where two parsed JSON values differ (empty when equal). Numbers compare by their
    /// Double value and, when both are integers, by their Int64 value.
    static func differences(_ a: Any, _ b: Any, at path: String = "$") -> [String] {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            var out: [String] = []
            for key in Set(x.keys).union(y.keys).sorted() {
                switch (x[key], y[key]) {
                case let (l?, r?): out += differences(l, r, at: path + "." + key)
                case (nil, _?): out.append("\(path).\(key): missing in hand-written output")
                case (_?, nil): out.append("\(path).\(key): only in hand-written output")
                case (nil, nil): break
                }
            }
            return out
        case let (x as [Any], y as [Any]):
            guard x.count == y.count else { return ["\(path): \(x.count) elements vs \(y.count)"] }
            return zip(x, y).enumerated().flatMap { differences($1.0, $1.1, at: "\(path)[\($0)]") }
        case let (x as String, y as String):
            return x == y ? [] : ["\(path): \(x.debugDescription) vs \(y.debugDescription)"]
        case (is NSNull, is NSNull):
            return []
        case let (x as NSNumber, y as NSNumber):
            guard x.doubleValue.bitPattern == y.doubleValue.bitPattern || x.doubleValue == y.doubleValue else {
                return ["\(path): \(x) vs \(y)"]
            }
            return []
        default:
            return ["\(path): \(type(of: a)) \(a) vs \(type(of: b)) \(b)"]
        }
    }

    static func checkIncident(_ incident: Incident, decode: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let mine = Data(incident.jsonBytes())
        let theirs = try storageEncoder().encode(incident)
        let parsedMine = try JSONSerialization.jsonObject(with: mine)
        let parsedTheirs = try JSONSerialization.jsonObject(with: theirs)
        let diff = differences(parsedMine, parsedTheirs)
        #expect(diff.isEmpty, "\(incident.id): \(diff.joined(separator: "; "))", sourceLocation: sourceLocation)
        #expect((parsedMine as? NSDictionary)?.isEqual(parsedTheirs) == true, "\(incident.id): NSDictionary differs",
                sourceLocation: sourceLocation)
        let parsedSorted = try JSONSerialization.jsonObject(with: try sortedEncoder().encode(incident))
        #expect((parsedMine as? NSDictionary)?.isEqual(parsedSorted) == true, sourceLocation: sourceLocation)
        // Same keys in the same order and the same number spelling: byte for byte what the
        // storage encoder writes.
        #expect(mine == theirs, "\(incident.id): bytes differ:\n\(String(decoding: mine, as: UTF8.self))\n\(String(decoding: theirs, as: UTF8.self))",
                sourceLocation: sourceLocation)
        if decode { #expect(try JSONDecoder().decode(Incident.self, from: mine) == incident, sourceLocation: sourceLocation) }
    }

    static func checkEntry(_ entry: TimelineEntry, decode: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let mine = Data(entry.jsonBytes())
        let theirs = try storageEncoder().encode(entry)
        let parsedMine = try JSONSerialization.jsonObject(with: mine)
        let parsedTheirs = try JSONSerialization.jsonObject(with: theirs)
        let diff = differences(parsedMine, parsedTheirs)
        #expect(diff.isEmpty, "\(entry.incidentID)#\(entry.sequence): \(diff.joined(separator: "; "))", sourceLocation: sourceLocation)
        #expect((parsedMine as? NSDictionary)?.isEqual(parsedTheirs) == true, sourceLocation: sourceLocation)
        #expect(mine == theirs, "bytes differ:\n\(String(decoding: mine, as: UTF8.self))\n\(String(decoding: theirs, as: UTF8.self))",
                sourceLocation: sourceLocation)
        if decode { #expect(try JSONDecoder().decode(TimelineEntry.self, from: mine) == entry, sourceLocation: sourceLocation) }
    }

    // MARK: scenarios

    static let nasty = [
        "quote \" and backslash \\ and slash / and </script>",
        "new\nline, tab\t, return\r, form\u{0C}feed, back\u{08}space",
        "nul \u{00} bell \u{07} esc \u{1B} unit-sep \u{1F} del \u{7F}",
        "unicode é ß 中文 ✓ and emoji 🔥🧑‍💻 and flags 🇫🇷",
        "line separators \u{2028} \u{2029} and BOM \u{FEFF}",
        "",
        "C:\\Windows\\System32\\cmd.exe /c \"whoami\"",
    ]

    static func detectionWith(_ name: String, source: String? = nil, destination: String? = nil, user: String? = nil, host: String? = nil,
                              at time: Int64, lag: Int64 = 0, severity: Severity, detector: String, type: DetectionType = .sigma,
                              confidence: Double, title: String? = nil, indicators: [Indicator] = [], events: Int = 1) -> Detection {
        var generator = SplitMix64(seed: UInt64(bitPattern: time) &+ UInt64(name.utf8.count))
        let finding = Finding(detectorID: detector, type: type, title: title ?? "\(detector) fired", severity: severity, confidence: confidence,
                              indicators: indicators,
                              eventIDs: (0..<events).map { EventID(milliseconds: time - Int64($0), using: &generator) },
                              entities: Entities(sourceIP: source, destinationIP: destination, userName: user, hostName: host))
        return Detection(id: name, finding: finding, detectedAt: time + lag, eventTime: time, latencySeconds: 0.01)
    }


    /// Drives a book through correlation, repeats, escalations, patches, milestones, actions
    /// and ticks; returns every snapshot it handed out, the final incidents and all timelines.
    static func scenario() throws -> (snapshots: [Incident], final: [Incident], entries: [TimelineEntry]) {
        // The scenario spans days and reads every incident back from the book at the end:
        // nothing may leave memory on the way (EvictionTests covers that).
        var configuration = IncidentBookConfiguration(idSeed: 7, maxFindingsPerIncident: 12)
        configuration.closedRetention = .max
        configuration.dormancy = .max
        let book = IncidentBook(configuration: configuration)
        var snapshots: [Incident] = []
        var ids: [String] = []
        func take(_ update: IncidentUpdate) {
            snapshots.append(update.incident)
            if !ids.contains(update.incident.id) { ids.append(update.incident.id) }
        }
        let confidences: [Double] = [0.1 + 0.2, 0.8, 1.0, 0, 0.95, 1.0 / 3.0, 0.7000000000000001, 1e-7, 0.5, 0.123456789012345678, 2.0, -0.5]
        let severities = Severity.allCases
        let types = DetectionType.allCases
        var t = t0
        // Twelve clusters of related detections on shared entities, each with a different mix.
        for cluster in 0..<12 {
            let source = cluster % 3 == 0 ? nil : "10.\(cluster).0.\(cluster + 1)"
            let user = cluster % 2 == 0 ? "user-\(cluster)" : nasty[cluster % nasty.count] + "-u"
            let host = cluster % 4 == 1 ? nil : "host-\(cluster).corp.example.com"
            for n in 0..<(2 + cluster % 5) {
                t += 1_000 + Int64(n * 137)
                let indicators = (0..<(n % 3)).map { Indicator(name: nasty[(cluster + $0) % nasty.count], value: nasty[(n + $0 + 1) % nasty.count]) }
                let d = detectionWith("det_\(cluster)_\(n)_" + nasty[(cluster + n) % nasty.count],
                                      source: n % 2 == 0 ? source : nil, destination: n % 3 == 0 ? "203.0.113.\(n)" : nil,
                                      user: user, host: host, at: t - Int64(n) * 900, lag: Int64(n * 250),
                                      severity: severities[(cluster + n) % severities.count],
                                      detector: n % 2 == 0 ? "SIGMA-\(cluster)" : "QTD-00\(n % 4)", type: types[(cluster + n) % types.count],
                                      confidence: confidences[(cluster * 3 + n) % confidences.count],
                                      title: n == 1 ? nasty[cluster % nasty.count] : nil, indicators: indicators, events: 1 + n % 3)
                take(book.correlate(d, now: t))
                if n == 2 { take(book.correlate(d, repeatCount: 5, now: t + 10)) }
            }
        }
        // A storm past maxFindingsPerIncident: repeats folded into the last finding.
        for n in 0..<30 {
            t += 50
            take(book.correlate(detectionWith("storm_\(n)", source: "198.51.100.9", user: "storm", at: t, severity: .medium,
                                              detector: n % 3 == 0 ? "IOC" : "BASELINE", type: n % 3 == 0 ? .ioc : .baseline,
                                              confidence: 0.61 + Double(n) / 1000), now: t))
        }
        // Lifecycle moves on the incidents, each differently.
        for (position, id) in ids.enumerated() {
            t += 5 * second
            switch position % 7 {
            case 0:
                take(try book.apply(IncidentPatch(phase: .containment, assignee: "alice \"the\" analyst"), to: id, now: t))
                take(try book.recordMilestone(.investigation, for: id, at: t + 20, note: "looked \\ at it\n"))
            case 1:
                take(try book.apply(IncidentPatch(disposition: .falsePositive, actor: "bob", note: "noise 🙈"), to: id, now: t))
            case 2:
                take(try book.apply(IncidentPatch(phase: .eradication), to: id, now: t + 40 * minute))
                take(try book.recordAction("blocked 10.0.0.1 at the firewall", for: id, automated: true, refs: ["fw-1"], at: t + 41 * minute))
                take(try book.apply(IncidentPatch(phase: .lessonsLearned, disposition: .truePositive), to: id, now: t + 5 * hour))
            case 3:
                take(try book.recordAction("paged on-call", for: id, automated: false, at: t + 50))
                take(try book.recordMilestone(.notification, for: id, at: t + 60))
                take(try book.apply(IncidentPatch(assignee: "bob"), to: id, now: t + 70))
                take(try book.apply(IncidentPatch(assignee: ""), to: id, now: t + 80))
            case 4:
                take(try book.apply(IncidentPatch(phase: .recovery, assignee: "ça-va 中"), to: id, now: t + 2 * hour))
                take(try book.apply(IncidentPatch(phase: .closed, disposition: .benign), to: id, now: t + 3 * hour))
            case 5:
                take(try book.recordMilestone(.logged, for: id, at: t))
                take(try book.recordMilestone(.firstAutomatedAction, for: id, at: t + 1))
            default:
                break
            }
        }
        // Ticks: phase windows and response timers overrun.
        for offset in [31 * second, 6 * minute, 2 * hour, 5 * hour, 8 * 24 * hour] {
            for update in book.tick(now: t + offset) { take(update) }
        }
        let final = ids.compactMap { book.incident(id: $0) }
        let entries = ids.flatMap { book.timeline(id: $0) ?? [] }
        return (snapshots, final, entries)
    }

    // MARK: tests

    @Test func incidentsFromTheBook_matchCodable() throws {
        let (snapshots, final, _) = try Self.scenario()
        #expect(final.count >= 10)
        #expect(snapshots.count > 100)
        // The scenario reaches what it is meant to reach.
        #expect(final.contains { !$0.slaBreaches.isEmpty })
        #expect(final.contains { $0.responseTimers.contains { $0.state == .breached && $0.metAt != nil } })
        #expect(final.contains { $0.responseTimers.contains { $0.state == .met } })
        #expect(final.contains { $0.responseTimers.contains { $0.state == .cancelled } })
        #expect(final.contains { $0.responseTimers.contains { $0.state == .pending } } || snapshots.contains { $0.responseTimers.contains { $0.state == .pending } })
        #expect(final.contains { $0.disposition == .falsePositive } && final.contains { $0.disposition == .benign })
        #expect(final.contains { $0.disposition == .truePositive })
        #expect(final.contains { $0.assignee != nil } && final.contains { $0.assignee == nil })
        #expect(final.contains { $0.containedAt != nil } && final.contains { $0.resolvedAt != nil } && final.contains { $0.closedAt != nil })
        #expect(final.contains { $0.findings.contains { $0.score != nil } })
        #expect(final.contains { $0.findings.contains { $0.repeatCount > 1 } })
        #expect(final.contains { !$0.indicators.isEmpty })
        #expect(final.contains { !$0.milestones.isEmpty })
        #expect(final.contains { $0.findings.count > 5 })
        for incident in snapshots + final { try Self.checkIncident(incident) }
    }

    @Test func timelineEntries_matchCodable() throws {
        let (_, _, entries) = try Self.scenario()
        #expect(Set(entries.map(\.kind)).count >= 10)
        for entry in entries { try Self.checkEntry(entry) }
        let odd = TimelineEntry(incidentID: "inc_x", sequence: Int.max, time: -62_135_596_800_001, kind: .action,
                                summary: Self.nasty.joined(separator: "|"), refs: Self.nasty)
        // Outside years 0...9999 `RFC3339.format` writes text it cannot parse back: same text, no decoding.
        try Self.checkEntry(odd, decode: false)
        try Self.checkEntry(TimelineEntry(incidentID: "", sequence: 0, time: 253_402_300_800_000, kind: .opened, summary: ""), decode: false)
        try Self.checkEntry(TimelineEntry(incidentID: "inc_y", sequence: 1, time: -62_167_219_200_000, kind: .opened, summary: "year 0"))
    }

    /// Values the book does not produce on its own: odd doubles, extreme times, every control
    /// character, empty collections.
    @Test func editedIncidents_matchCodable() throws {
        let (_, final, _) = try Self.scenario()
        let base = try #require(final.first { $0.findings.count > 2 && $0.assignee != nil })
        let doubles: [Double] = [0.1 + 0.2, 1e-7, Double.leastNonzeroMagnitude, 1e16, 123_456_789_012_345.0, 9_007_199_254_740_992, 9_007_199_254_740_994, 1.7976931348623157e308,
                                 -0.0, 0, 1, 0.5, 100, 1e15, 1e15 + 0.5, 999_999_999_999_999, 2.5e-5, 1.0 / 3.0]
        let times: [Int64] = [0, -1, 1, 999, -62_135_596_800_000, -62_167_219_200_000, 253_402_300_799_999, 951_782_400_000,
                              4_102_444_800_000, t0]
        let allControls = String(decoding: (0..<0x20).map { UInt8($0) } + Array("\"\\/\u{7F}".utf8), as: UTF8.self)
        var edited: [Incident] = []
        for (n, value) in doubles.enumerated() {
            var incident = base
            incident.confidence = value
            incident.findings[n % incident.findings.count].confidence = value
            incident.findings[(n + 1) % incident.findings.count].score = value
            incident.updatedAt = times[n % times.count]
            incident.openedAt = times[(n + 3) % times.count]
            incident.phaseHistory[0].enteredAt = times[(n + 5) % times.count]
            incident.title = allControls + String(n)
            incident.assignee = n % 2 == 0 ? allControls : nil
            edited.append(incident)
        }
        var empty = base
        empty.findings = []
        empty.detectorIDs = []
        empty.indicators = []
        empty.entities = IncidentEntities()
        empty.phaseHistory = []
        empty.acknowledgedAt = nil
        empty.timelineCount = Int.max
        edited.append(empty)
        for incident in edited { try Self.checkIncident(incident) }
        var farOut = base
        farOut.updatedAt = 253_402_300_800_000
        farOut.openedAt = -62_167_219_200_001
        try Self.checkIncident(farOut, decode: false)
        for ms in times + (0..<2000).map({ Int64($0) * 7_919_993_117 - 4_000_000_000_000 }) {
            var bytes: [UInt8] = []
            if RFC3339.append(ms, to: &bytes) {
                #expect(bytes == Array(("\"" + RFC3339.format(ms) + "\"").utf8))
            } else {
                #expect(ms < -62_167_219_200_000 || ms >= 253_402_300_800_000, "\(ms)")
            }
        }
    }

    /// `JSONEncoder` refuses a NaN (it throws; `IncidentService.encode` then stores `{}`); a NaN
    /// confidence survives `IncidentFinding`'s clamp. The hand-written encoder writes `null`.
    @Test func nonFiniteConfidence_isNull() throws {
        let (_, final, _) = try Self.scenario()
        var incident = try #require(final.first)
        incident.findings[0].confidence = .nan
        #expect(throws: (any Error).self) { try Self.storageEncoder().encode(incident) }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(incident.jsonBytes())) as? [String: Any])
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(finding["confidence"] is NSNull)
    }

    /// The comparison catches a dropped or altered field at any depth (so a field the
    /// hand-written encoder forgot cannot pass unnoticed).
    @Test func comparison_detectsMissingOrChangedFields() throws {
        let (_, final, _) = try Self.scenario()
        let incident = try #require(final.first { $0.findings.count > 1 && $0.assignee != nil && !$0.slaBreaches.isEmpty })
        let reference = try #require(try JSONSerialization.jsonObject(with: Self.storageEncoder().encode(incident)) as? [String: Any])
        #expect(Self.differences(reference, reference).isEmpty)
        for key in reference.keys {
            var dropped = reference
            dropped[key] = nil
            #expect(!Self.differences(dropped, reference).isEmpty, "\(key)")
            #expect((dropped as NSDictionary).isEqual(reference) == false, "\(key)")
            var changed = reference
            changed[key] = "x"
            #expect(!Self.differences(changed, reference).isEmpty, "\(key)")
        }
        var findings = try #require(reference["findings"] as? [[String: Any]])
        findings[1]["confidence"] = (findings[1]["confidence"] as! NSNumber).doubleValue.nextUp
        var nested = reference
        nested["findings"] = findings
        #expect(!Self.differences(nested, reference).isEmpty)
        #expect((nested as NSDictionary).isEqual(reference) == false)
    }
}
