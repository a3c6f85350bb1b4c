import MWRASPCore
import Testing
@testable import Incidents

@Suite struct PhaseTests {
    @Test func phasesMoveForward_withTimeStamps() throws {
        let (book, id) = bookWithIncident()
        _ = try book.apply(IncidentPatch(phase: .containment), to: id, now: t0 + 10 * second)
        _ = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + 2 * minute)
        _ = try book.apply(IncidentPatch(phase: .recovery), to: id, now: t0 + 30 * minute)
        _ = try book.apply(IncidentPatch(phase: .lessonsLearned), to: id, now: t0 + 2 * hour)
        let update = try book.apply(IncidentPatch(phase: .closed), to: id, now: t0 + 48 * hour)
        let incident = update.incident
        #expect(incident.phaseHistory.map(\.phase) == IncidentPhase.allCases)
        #expect(incident.phaseHistory.map(\.enteredAt) == [t0, t0 + 10 * second, t0 + 2 * minute, t0 + 30 * minute, t0 + 2 * hour, t0 + 48 * hour])
        #expect(incident.containedAt == t0 + 2 * minute)
        #expect(incident.resolvedAt == t0 + 2 * hour)
        #expect(incident.closedAt == t0 + 48 * hour)
        #expect(incident.slaBreaches.isEmpty)
        #expect(incident.status == .closed)
    }

    @Test func backwardsOrSamePhase_isRefused_andChangesNothing() throws {
        let (book, id) = bookWithIncident()
        _ = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + second)
        let before = book.incident(id: id)
        #expect(throws: IncidentError.invalidTransition(id: id, from: .eradication, to: .containment)) {
            try book.apply(IncidentPatch(phase: .containment), to: id, now: t0 + 2 * second)
        }
        #expect(throws: IncidentError.invalidTransition(id: id, from: .eradication, to: .eradication)) {
            try book.apply(IncidentPatch(phase: .eradication, assignee: "alice"), to: id, now: t0 + 2 * second)
        }
        // The refused patch's assignee was not applied either: all or nothing.
        #expect(book.incident(id: id) == before)
        #expect(throws: IncidentError.notFound(id: "inc_nope")) {
            try book.apply(IncidentPatch(phase: .closed), to: "inc_nope", now: t0)
        }
        #expect(throws: IncidentError.invalidPatch("the patch changes nothing: give phase, assignee or disposition")) {
            try book.apply(IncidentPatch(), to: id, now: t0)
        }
    }

    @Test func skippingAhead_isAllowed_skippedPhasesHaveNoStamp() throws {
        let (book, id) = bookWithIncident()
        let update = try book.apply(IncidentPatch(phase: .recovery), to: id, now: t0 + 20 * second)
        #expect(update.incident.phaseHistory.map(\.phase) == [.detection, .recovery])
        #expect(update.incident.containedAt == t0 + 20 * second)
        #expect(update.entries.last?.summary.contains("skipped containment, eradication") == true)
        #expect(update.incident.status == .contained)
    }

    @Test func statusFollowsPhase() {
        #expect(IncidentPhase.detection.status == .open)
        #expect(IncidentPhase.containment.status == .open)
        #expect(IncidentPhase.eradication.status == .contained)
        #expect(IncidentPhase.recovery.status == .contained)
        #expect(IncidentPhase.lessonsLearned.status == .resolved)
        #expect(IncidentPhase.closed.status == .closed)
    }

    @Test func leavingAPhaseExactlyAtItsDeadline_isNoBreach_oneMillisecondLater_is() throws {
        let (book, id) = bookWithIncident()
        let onTime = try book.apply(IncidentPatch(phase: .containment), to: id, now: t0 + 30 * second)
        #expect(onTime.incident.slaBreaches.isEmpty)
        let late = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + 5 * minute + 1)
        #expect(late.incident.slaBreaches == [SLABreach(phase: .containment, deadline: t0 + 5 * minute, recordedAt: t0 + 5 * minute + 1)])
        #expect(late.entries.map(\.kind) == [.slaBreach, .transition])
    }

    @Test func tick_findsOverrunPhases_onceEach_andNotBeforeTheBoundary() throws {
        let (book, id) = bookWithIncident(severity: .info)  // info: no response timer in the way
        #expect(book.tick(now: t0 + 30 * second).isEmpty, "at the deadline: within")
        let first = book.tick(now: t0 + 30 * second + 1)
        #expect(first.count == 1)
        #expect(first[0].kind == .breached)
        #expect(first[0].incident.slaBreaches.map(\.phase) == [.detection])
        #expect(book.tick(now: t0 + minute).isEmpty, "recorded once")
        // Still in detection after 5 min: containment's window is gone too.
        let later = book.tick(now: t0 + 5 * minute + 1)
        #expect(later.first?.incident.slaBreaches.map(\.phase) == [.detection, .containment])
        // Moving on later does not record the same breach twice.
        let moved = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + 6 * minute)
        #expect(moved.incident.slaBreaches.count == 2)
        #expect(!moved.entries.contains { $0.kind == .slaBreach })
    }

    @Test func phaseWithinItsWindow_isNoBreach() throws {
        let (book, id) = bookWithIncident(severity: .info)
        _ = try book.apply(IncidentPatch(phase: .containment), to: id, now: t0 + 20 * second)
        #expect(book.tick(now: t0 + 4 * minute).isEmpty)
        _ = try book.apply(IncidentPatch(phase: .eradication), to: id, now: t0 + 4 * minute)
        _ = try book.apply(IncidentPatch(phase: .recovery), to: id, now: t0 + 59 * minute)
        #expect(book.tick(now: t0 + 3 * hour).isEmpty)
        let breach = book.tick(now: t0 + 4 * hour + 1)
        #expect(breach.first?.incident.slaBreaches.map(\.phase) == [.recovery])
    }

    @Test func cumulativeDeadlines_fromOpening() {
        #expect(IncidentPhase.allCases.map(\.deadlineAfterOpen) == [30_000, 300_000, 3_600_000, 14_400_000, 604_800_000, nil])
    }
}
