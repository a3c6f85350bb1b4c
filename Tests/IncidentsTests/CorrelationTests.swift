import MWRASPCore
import Testing
@testable import Incidents

@Suite struct CorrelationTests {
    @Test func sameEntities_fourMinutesApart_join() {
        let book = book()
        let first = book.correlate(detection("det_1", source: "10.20.30.40", host: "web-03", at: t0), now: t0)
        let other = book.correlate(detection("det_2", source: "10.20.30.40", host: "web-03", at: t0 + 4 * minute), now: t0 + 4 * minute)
        #expect(first.kind == .created)
        #expect(other.kind == .joined)
        #expect(other.incident.id == first.incident.id)
        #expect(other.incident.detectionIDs == ["det_1", "det_2"])
        #expect(other.matchedDetectionID == "det_1")
        #expect(other.score?.shared == [.sourceIP, .hostName])
    }

    @Test func sameEntities_sixMinutesApart_doNotJoin() {
        let book = book()
        let first = book.correlate(detection("det_1", source: "10.20.30.40", host: "web-03", at: t0), now: t0)
        let other = book.correlate(detection("det_2", source: "10.20.30.40", host: "web-03", at: t0 + 6 * minute), now: t0 + 6 * minute)
        #expect(other.kind == .created)
        #expect(other.incident.id != first.incident.id)
    }

    @Test func windowIsInclusiveAndSymmetric() {
        let book = book()
        let first = book.correlate(detection("det_1", source: "10.20.30.40", at: t0), now: t0)
        // Exactly 5 min later in event time, and one arriving late with an earlier event time.
        let edge = book.correlate(detection("det_2", source: "10.20.30.40", at: t0 + 5 * minute), now: t0 + 5 * minute)
        let earlier = book.correlate(detection("det_3", source: "10.20.30.40", at: t0 - 4 * minute), now: t0 + 6 * minute)
        #expect(edge.incident.id == first.incident.id)
        #expect(earlier.incident.id == first.incident.id)
    }

    @Test func differentEntities_neverJoin() {
        let book = book()
        let first = book.correlate(detection(source: "10.0.0.1", destination: "198.51.100.1", user: "alice", host: "a", at: t0), now: t0)
        let other = book.correlate(detection(source: "10.0.0.2", destination: "198.51.100.2", user: "bob", host: "b", at: t0 + second),
                                    now: t0 + second)
        #expect(other.kind == .created)
        #expect(other.incident.id != first.incident.id)
    }

    @Test func allFourShared_join_andNoneShared_neverDo() {
        let weights = CorrelationWeights.default
        let a = Entities(sourceIP: allFour.source, destinationIP: allFour.destination, userName: allFour.user, hostName: allFour.host)
        #expect(CorrelationScore(a, a, weights: weights).value == 1)
        #expect(CorrelationScore(a, a, weights: weights).joins(weights))
        // Even with weights that could not reach the bar on their own.
        let feeble = CorrelationWeights(sourceIP: 0.1, destinationIP: 0.1, userName: 0.1, hostName: 0.1)
        #expect(CorrelationScore(a, a, weights: feeble).joins(feeble))
        let none = CorrelationScore(a, Entities(), weights: weights)
        #expect(none.value == 0)
        #expect(!none.joins(weights))
        #expect(!none.joins(CorrelationWeights(threshold: 0)))

        let book = book()
        let first = book.correlate(detection(source: allFour.source, destination: allFour.destination, user: allFour.user, host: allFour.host), now: t0)
        let same = book.correlate(detection(source: allFour.source, destination: allFour.destination, user: allFour.user, host: allFour.host,
                                            at: t0 + minute), now: t0 + minute)
        let nothing = book.correlate(detection(at: t0 + minute), now: t0 + minute)
        #expect(same.incident.id == first.incident.id)
        #expect(nothing.kind == .created)
    }

    @Test func defaultWeights_sourceAloneJoins_otherSinglesDoNot_anyPairDoes() {
        let w = CorrelationWeights.default
        #expect(CorrelationScore(shared: [.sourceIP], weights: w).joins(w))
        for kind in [EntityKind.destinationIP, .userName, .hostName] {
            #expect(!CorrelationScore(shared: [kind], weights: w).joins(w), "\(kind) alone")
        }
        let others: [EntityKind] = [.destinationIP, .userName, .hostName]
        for a in others { for b in others where a < b {
            #expect(CorrelationScore(shared: [a, b], weights: w).joins(w), "\(a)+\(b)")
        } }
        // host + user: 1 − 0.5 × 0.45 = 0.775.
        #expect(abs(CorrelationScore(shared: [.hostName, .userName], weights: w).value - 0.775) < 1e-9)
    }

    @Test func scoreExactlyAtThreshold_doesNotJoin_justAbove_does() {
        // host 0.4 and user 0.5 give 1 − 0.6 × 0.5 = 0.7 exactly: not above 0.7.
        let atBar = CorrelationWeights(sourceIP: 0.75, destinationIP: 0.45, userName: 0.5, hostName: 0.4)
        let score = CorrelationScore(shared: [.hostName, .userName], weights: atBar)
        #expect(!score.joins(atBar))
        let above = CorrelationWeights(sourceIP: 0.75, destinationIP: 0.45, userName: 0.501, hostName: 0.4)
        #expect(CorrelationScore(shared: [.hostName, .userName], weights: above).joins(above))
        // A single weight of exactly 0.7.
        let single = CorrelationWeights(sourceIP: 0.7)
        #expect(!CorrelationScore(shared: [.sourceIP], weights: single).joins(single))

        let book = book(IncidentBookConfiguration(weights: atBar, idSeed: 1))
        let first = book.correlate(detection(user: "alice", host: "ws-7"), now: t0)
        let other = book.correlate(detection(user: "alice", host: "ws-7", at: t0 + second), now: t0 + second)
        #expect(other.incident.id != first.incident.id)
    }

    @Test func placeholdersAndLoopback_areNotShared() {
        let w = CorrelationWeights.default
        let a = Entities(sourceIP: "127.0.0.1", destinationIP: "::1", userName: "-", hostName: "unknown")
        #expect(CorrelationScore(a, a, weights: w).shared.isEmpty)
        // Case and surrounding spaces do not matter for names.
        let b = Entities(userName: "Alice", hostName: "WEB-03 ")
        let c = Entities(userName: "alice", hostName: "web-03")
        #expect(CorrelationScore(b, c, weights: w).shared == [.userName, .hostName])
    }

    @Test func bestScoreWins() {
        let book = book()
        // Incident A shares only user+host with the probe, incident B shares the source IP too.
        let a = book.correlate(detection("det_a", source: "10.0.0.1", user: "alice", host: "ws-1", at: t0), now: t0)
        let b = book.correlate(detection("det_b", source: "10.9.9.9", user: "bob", at: t0 + second), now: t0 + second)
        let probe = book.correlate(detection("det_p", source: "10.9.9.9", user: "alice", host: "ws-1", at: t0 + 2 * second), now: t0 + 2 * second)
        #expect(a.incident.id != b.incident.id)
        // user+host = 0.775; source+user... B shares source only (bob ≠ alice): 0.75. A wins.
        #expect(probe.incident.id == a.incident.id)

        // Tie: two incidents each sharing just the source IP with the probe; the most recent wins.
        let tie = IncidentBook(configuration: IncidentBookConfiguration(idSeed: 5))
        let older = tie.correlate(detection("det_1", source: "10.1.1.1", host: "h1", at: t0), now: t0)
        let newer = tie.correlate(detection("det_2", source: "10.2.2.2", host: "h2", at: t0 + minute), now: t0 + minute)
        let both = tie.correlate(detection("det_3", source: "10.1.1.1", destination: "10.2.2.2", at: t0 + 2 * minute), now: t0 + 2 * minute)
        #expect(older.incident.id != newer.incident.id)
        #expect(both.incident.id == older.incident.id, "only the first shares source.ip; destination alone does not join")
        let tied = tie.correlate(detection("det_4", source: "10.1.1.1", host: "h2", at: t0 + 2 * minute), now: t0 + 2 * minute)
        // Shares source.ip with the older incident (0.75) and only host with the newer (0.5): older.
        #expect(tied.incident.id == older.incident.id)
    }

    @Test func equalScores_mostRecentIncidentWins() {
        // Probe shares user+host with x and destination+user with y: both 1 − 0.45 × 0.5 = 0.775.
        let equal = IncidentBook(configuration: IncidentBookConfiguration(
            weights: CorrelationWeights(sourceIP: 0.75, destinationIP: 0.5, userName: 0.55, hostName: 0.5), idSeed: 3))
        let x = equal.correlate(detection("det_x", user: "alice", host: "ws-1", at: t0), now: t0)
        let y = equal.correlate(detection("det_y", destination: "198.51.100.7", user: "alice", at: t0 + minute), now: t0 + minute)
        let probe = equal.correlate(detection("det_z", destination: "198.51.100.7", user: "alice", host: "ws-1", at: t0 + 2 * minute),
                                    now: t0 + 2 * minute)
        #expect(x.incident.id != y.incident.id)
        #expect(probe.incident.id == y.incident.id)
    }

    @Test func findingsAndRepeats_areCounted() {
        let book = book()
        let first = book.correlate(detection("det_1", source: "10.0.0.1"), repeatCount: 3, now: t0)
        let joined = book.correlate(detection("det_2", source: "10.0.0.1", at: t0 + second), repeatCount: 2, now: t0 + second)
        #expect(joined.incident.findingCount == 2)
        #expect(joined.incident.occurrenceCount == 5)
        // The deduplicator counted det_1 again: the count carries over, no new finding.
        let again = book.correlate(detection("det_1", source: "10.0.0.1"), repeatCount: 7, now: t0 + 2 * second)
        #expect(again.kind == .repeated)
        #expect(again.incident.id == first.incident.id)
        #expect(again.incident.findingCount == 2)
        #expect(again.incident.occurrenceCount == 9)
        #expect(again.entries.map(\.kind) == [.repeated])
        // A retry with the same count changes nothing.
        let retry = book.correlate(detection("det_1", source: "10.0.0.1"), repeatCount: 7, now: t0 + 3 * second)
        #expect(retry.entries.isEmpty)
    }

    @Test func severityConfidenceTypeAndEntities_followTheFindings() {
        let book = book()
        _ = book.correlate(detection(source: "10.0.0.1", user: "alice", severity: .medium, detector: "SIGMA-1", confidence: 0.6), now: t0)
        let update = book.correlate(detection(source: "10.0.0.1", host: "kms-01", at: t0 + second, severity: .critical,
                                              detector: "QTD-001", type: .catalog, confidence: 0.5), now: t0 + second)
        let incident = update.incident
        #expect(incident.severity == .critical)
        #expect(incident.type == .catalog)
        #expect(incident.detectorID == "QTD-001")
        #expect(incident.detectorIDs == ["SIGMA-1", "QTD-001"])
        #expect(abs(incident.confidence - 0.8) < 1e-9)  // 1 − 0.4 × 0.5
        #expect(incident.entities.sourceIPs == ["10.0.0.1"])
        #expect(incident.entities.users == ["alice"])
        #expect(incident.entities.hosts == ["kms-01"])
        #expect(update.entries.contains { $0.kind == .escalation })
        // The same detector repeating does not inflate confidence.
        let more = book.correlate(detection(source: "10.0.0.1", at: t0 + 2 * second, detector: "QTD-001", type: .catalog, confidence: 0.5),
                                  now: t0 + 2 * second)
        #expect(abs(more.incident.confidence - 0.8) < 1e-9)
    }

    @Test func resolvedIncidents_takeNoNewFindings() throws {
        let book = book()
        let first = book.correlate(detection(source: "10.0.0.1"), now: t0)
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: first.incident.id, now: t0 + second)
        let next = book.correlate(detection(source: "10.0.0.1", at: t0 + 2 * second), now: t0 + 2 * second)
        #expect(next.kind == .created)
        // Contained incidents still do.
        _ = try book.apply(IncidentPatch(phase: .eradication), to: next.incident.id, now: t0 + 3 * second)
        let third = book.correlate(detection(source: "10.0.0.1", at: t0 + 4 * second), now: t0 + 4 * second)
        #expect(third.incident.id == next.incident.id)
    }
}

@Suite struct IncidentStormTests {
    @Test func findingsPastTheCapFoldIntoTheirDetectorsLastFindingWithFewTimelineEntries() {
        let book = IncidentBook(configuration: IncidentBookConfiguration(idSeed: 7, maxFindingsPerIncident: 3))
        let t0: Int64 = 1_790_000_000_000
        func detection(_ n: Int, detector: String) -> Detection {
            Detection(id: "det_\(n)", finding: Finding(detectorID: detector, type: .siemAlert, title: "storm", severity: .high,
                                                     confidence: 0.75, eventIDs: [], entities: Entities(sourceIP: "10.0.0.1")),
                      detectedAt: t0 + Int64(n), eventTime: t0 + Int64(n), latencySeconds: 0)
        }
        var entries = 0
        for n in 0..<3 { entries += book.correlate(detection(n, detector: "A"), now: t0 + Int64(n)).entries.count }
        var last = book.correlate(detection(3, detector: "A"), now: t0 + 3)
        for n in 4..<20 {
            last = book.correlate(detection(n, detector: "A"), now: t0 + Int64(n))
            entries += last.entries.count
        }
        #expect(last.kind == .repeated)
        #expect(last.incident.findingCount == 3)
        #expect(last.incident.occurrenceCount == 20)
        // 17 folded repeats onto a count that went 1 -> 18: logged at 2, 4, 8, 16 only.
        #expect(book.timeline(id: last.incident.id)!.filter { $0.kind == .repeated }.count == 4)
        // A new detector still gets its own finding.
        #expect(book.correlate(detection(99, detector: "B"), now: t0 + 99).incident.findingCount == 4)
    }

    /// Repeats of an alert whose finding was folded count, in place, on the finding it was
    /// folded into (before: nil here, and each batch of repeats correlated from scratch).
    @Test func repeatsOfAFoldedDetectionCountOnTheFindingItWasFoldedInto() {
        let book = IncidentBook(configuration: IncidentBookConfiguration(idSeed: 7, maxFindingsPerIncident: 2))
        let t0: Int64 = 1_790_000_000_000
        func detection(_ n: Int) -> Detection {
            Detection(id: "det_\(n)", finding: Finding(detectorID: "A", type: .siemAlert, title: "storm", severity: .high,
                                                     confidence: 0.75, eventIDs: [], entities: Entities(sourceIP: "10.0.0.1")),
                      detectedAt: t0 + Int64(n), eventTime: t0 + Int64(n), latencySeconds: 0)
        }
        _ = book.correlate(detection(0), now: t0)
        _ = book.correlate(detection(1), now: t0 + 1)
        let folded = book.correlate(detection(2), now: t0 + 2)
        #expect(folded.kind == .repeated && folded.incident.findingCount == 2 && folded.incident.occurrenceCount == 3)
        let counted = book.countRepeats(ofDetection: "det_2", count: 5, now: t0 + 3)
        #expect(counted?.incidentID == folded.incident.id)
        #expect(book.incident(id: folded.incident.id)?.findingCount == 2)
        #expect(book.incident(id: folded.incident.id)?.occurrenceCount == 8)
        // Crossing 4 and 8 repeats is logged, in the book's timeline as in the answer.
        #expect(counted?.entries.isEmpty == false)
        #expect(book.timeline(id: folded.incident.id).map { Array($0.suffix(counted?.entries.count ?? 0)) } == counted?.entries)
        // Sent again through correlation, it folds again rather than vanishing.
        #expect(book.correlate(detection(2), repeatCount: 2, now: t0 + 4).incident.occurrenceCount == 10)
    }
}

/// Past `maxFoldedPerIncident` a folded alert is no longer remembered; its repeats are folded
/// again in place (`countFoldedAlertRepeats`), exactly where correlating them would fold them.
@Suite struct UnrememberedFoldTests {
    static let t0: Int64 = 1_790_000_000_000

    static func detection(_ n: Int, detector: String) -> Detection {
        Detection(id: "det_\(n)", finding: Finding(detectorID: detector, type: .siemAlert, title: "storm \(detector)", severity: .high,
                                                 confidence: 0.75, eventIDs: [], entities: Entities(sourceIP: "10.0.0.1", hostName: "h")),
                  detectedAt: t0 + Int64(n), eventTime: t0 + Int64(n), latencySeconds: 0)
    }

    /// Two detectors, three findings (the cap), then alerts of the first detector folded.
    static func stormBook() -> (IncidentBook, String) {
        let book = IncidentBook(configuration: IncidentBookConfiguration(idSeed: 7, maxFindingsPerIncident: 3))
        var id = ""
        for (n, detector) in ["A", "B", "A", "A", "A"].enumerated() {
            id = book.correlate(detection(n, detector: detector), now: t0 + Int64(n)).incident.id
        }
        return (book, id)
    }

    @Test func foldsWhereCorrelationFolds() throws {
        let (viaCorrelation, incidentID) = Self.stormBook()
        let (inPlace, sameID) = Self.stormBook()
        #expect(incidentID == sameID)
        // The old path: a detection made from the first SIEM-alert finding, correlated again.
        let template = try #require(viaCorrelation.incident(id: incidentID)?.findings.first)
        let resent = Detection(id: "det_4", finding: Finding(detectorID: template.detectorID, type: template.type, title: template.title,
                                                              severity: template.severity, confidence: template.confidence,
                                                              eventIDs: [], entities: template.entities),
                               detectedAt: Self.t0 + 10, eventTime: template.eventTime, latencySeconds: 0)
        let correlated = viaCorrelation.correlate(resent, repeatCount: 6, now: Self.t0 + 10)
        let counted = try #require(inPlace.countFoldedAlertRepeats(of: "det_4", in: incidentID, count: 6,
                                                                   lastEventID: EventID(milliseconds: Self.t0), now: Self.t0 + 10))
        #expect(counted.incidentID == correlated.incident.id)
        let after = try #require(inPlace.incident(id: incidentID))
        #expect(after.findings.map(\.repeatCount) == correlated.incident.findings.map(\.repeatCount))
        #expect(after.findings.map(\.repeatCount) == [1, 1, 9])  // the third finding (A): 1 + 2 folded + 6
        #expect(after.occurrenceCount == 11)
        #expect(counted.entries.map(\.summary) == correlated.entries.map(\.summary))
    }

    @Test func notOverItsCapOrNotActive_itDoesNotFold() throws {
        let book = IncidentBook(configuration: IncidentBookConfiguration(idSeed: 7, maxFindingsPerIncident: 3))
        let id = book.correlate(Self.detection(0, detector: "A"), now: Self.t0).incident.id
        #expect(book.countFoldedAlertRepeats(of: "det_9", in: id, count: 2, lastEventID: EventID(milliseconds: Self.t0), now: Self.t0 + 1) == nil)
        let (storm, stormID) = Self.stormBook()
        _ = try storm.apply(IncidentPatch(disposition: .falsePositive), to: stormID, now: Self.t0 + 20)
        #expect(storm.countFoldedAlertRepeats(of: "det_4", in: stormID, count: 2, lastEventID: EventID(milliseconds: Self.t0), now: Self.t0 + 21) == nil)
        #expect(storm.countFoldedAlertRepeats(of: "det_4", in: "inc_unknown", count: 2, lastEventID: EventID(milliseconds: Self.t0), now: Self.t0 + 21) == nil)
    }
}

@Suite struct SharedKindsTests {
    @Test func everySubsetScoresAsTheProductOfItsWeights() {
        let weights = CorrelationWeights.default
        for bits in 0..<16 {
            let kinds = EntityKind.allCases.enumerated().filter { bits & (1 << $0.offset) != 0 }.map(\.element)
            let mask = SharedKinds(kinds)
            #expect(mask.kinds == kinds)
            let score = CorrelationScore(shared: mask, weights: weights)
            var expected = 1.0
            for kind in kinds { expected *= 1 - weights.weight(kind) }
            if kinds.count == 4 { expected = 0 }
            #expect(abs(score.value - (1 - expected)) < 1e-9)
            #expect(CorrelationScore.joins(mask, remaining: CorrelationScore.remaining(mask, weights), weights) == score.joins(weights))
            #expect(score == CorrelationScore(shared: kinds.reversed(), weights: weights))
        }
    }
}

@Suite struct EntityNormalizationTests {
    @Test func theFastPathAgreesWithTrimAndLowercase() {
        let samples = ["10.0.0.1", "Web-Prod-03", " host ", "\tuser\n", "ÄLICE", "alice", "", " ", "\u{00A0}x\u{00A0}", "x y", "a\u{0301}",
                       "UNKNOWN", "n/a", "-", "::1", "127.0.0.1", "2001:DB8::1"]
        for sample in samples {
            #expect(Entities.normalized(sample) == sample.trimmingSpaces().lowercased(), "\(sample)")
        }
        #expect(Entities(sourceIP: " 127.0.0.2 ").correlationKey(.sourceIP) == nil)
        #expect(Entities(userName: "UNKNOWN").correlationKey(.userName) == nil)
        #expect(Entities(hostName: "Web-Prod-03").correlationKey(.hostName) == "web-prod-03")
    }
}
