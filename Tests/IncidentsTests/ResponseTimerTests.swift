import MWRASPCore
import Testing
@testable import Incidents

@Suite struct ResponseTimerTests {
    @Test(arguments: [
        (Severity.critical, Milestone.firstAutomatedAction, Int64(100)),
        (.high, .notification, 1_000),
        (.medium, .investigation, 300_000),
        (.low, .logged, 3_600_000),
    ])
    func objectiveMet_atTheDeadline(severity: Severity, milestone: Milestone, budget: Int64) throws {
        let (book, id) = bookWithIncident(severity: severity)
        let timer = try #require(book.incident(id: id)?.responseTimers.first)
        #expect(timer.milestone == milestone)
        #expect(timer.deadline == t0 + budget)
        #expect(timer.state == .pending)
        #expect(!book.tick(now: t0 + budget).contains { $0.incident.id == id && $0.incident.responseTimers.first?.state == .breached })
        let update = try book.recordMilestone(milestone, for: id, at: t0 + budget)
        #expect(update.incident.responseTimers.first?.state == .met)
        #expect(update.incident.responseTimers.first?.metAt == t0 + budget)
    }

    @Test(arguments: [(Severity.critical, Int64(100)), (.high, 1_000), (.medium, 300_000), (.low, 3_600_000)])
    func objectiveBreached_byTick_whenTheDeadlinePasses(severity: Severity, budget: Int64) throws {
        let (book, id) = bookWithIncident(severity: severity)
        let updates = book.tick(now: t0 + budget + 1)
        let timer = try #require(updates.first { $0.incident.id == id }?.incident.responseTimers.first)
        #expect(timer.state == .breached)
        #expect(timer.breachedAt == t0 + budget + 1)
        // Reaching it late keeps the breach and records when it happened.
        let late = try book.recordMilestone(timer.milestone, for: id, at: t0 + budget + 50)
        #expect(late.incident.responseTimers.first?.state == .breached)
        #expect(late.incident.responseTimers.first?.metAt == t0 + budget + 50)
    }

    @Test func lateMilestone_withoutATick_recordsTheBreachItself() throws {
        let (book, id) = bookWithIncident(severity: .critical)
        let update = try book.recordAction("blocked 10.0.0.1 at the firewall", for: id, automated: true, at: t0 + 250)
        #expect(update.incident.milestone(.firstAutomatedAction) == t0 + 250)
        #expect(update.incident.responseTimers.first?.state == .breached)
        #expect(update.entries.map(\.kind) == [.action, .milestone, .slaBreach])
    }

    @Test func automatedAction_meetsTheCriticalObjective() throws {
        let (book, id) = bookWithIncident(severity: .critical)
        let update = try book.recordAction("rotated RSA keys to ML-KEM-1024", for: id, automated: true, refs: ["AUTO-QT-001"], at: t0 + 40)
        #expect(update.incident.responseTimers.first?.state == .met)
        // A manual action is no automated milestone.
        let (other, otherID) = bookWithIncident(severity: .critical)
        let manual = try other.recordAction("called the owner", for: otherID, automated: false, at: t0 + 40)
        #expect(manual.incident.responseTimers.first?.state == .pending)
    }

    @Test func info_hasNoTimer_andEscalationAddsTheStricterOne() throws {
        let book = book()
        let opened = book.correlate(detection(source: "10.0.0.1", severity: .info), now: t0)
        #expect(opened.incident.responseTimers.isEmpty)
        let raised = book.correlate(detection(source: "10.0.0.1", at: t0 + second, severity: .critical), now: t0 + 2 * second)
        let timer = try #require(raised.incident.responseTimers.first)
        #expect(timer.milestone == .firstAutomatedAction)
        #expect(timer.startedAt == t0 + 2 * second)
        #expect(timer.deadline == t0 + 2 * second + 100)
    }

    @Test func closingAsFalsePositive_cancelsPendingTimers() throws {
        let (book, id) = bookWithIncident(severity: .low)
        let update = try book.apply(IncidentPatch(disposition: .falsePositive), to: id, now: t0 + 20 * second)
        #expect(update.incident.responseTimers.first?.state == .cancelled)
        #expect(book.tick(now: t0 + 2 * hour).isEmpty)
    }

    @Test func milestonesKeepTheFirstTime() throws {
        let (book, id) = bookWithIncident(severity: .medium)
        _ = try book.recordMilestone(.investigation, for: id, at: t0 + minute)
        let again = try book.recordMilestone(.investigation, for: id, at: t0 + 2 * minute)
        #expect(again.entries.isEmpty)
        #expect(again.incident.milestone(.investigation) == t0 + minute)
        #expect(again.incident.acknowledgedAt == t0 + minute)
    }
}
