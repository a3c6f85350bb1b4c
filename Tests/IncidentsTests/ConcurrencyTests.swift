import MWRASPCore
import Testing
@testable import Incidents

@Suite struct ConcurrencyTests {
    @Test func concurrentCorrelation_losesNothing() async {
        let book = book()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for step in 0..<50 {
                        let now = t0 + Int64(step) * second
                        // Each worker's attacker IP: its 50 findings form one incident.
                        _ = book.correlate(detection("det_\(worker)_\(step)", source: "10.0.0.\(worker + 1)", at: now), now: now)
                    }
                }
            }
        }
        let items = book.list(IncidentQuery(limit: 1000)).items
        #expect(items.count == 8)
        #expect(items.allSatisfy { $0.findingCount == 50 })
        #expect(Set(items.flatMap(\.detectionIDs)).count == 400)
    }
}
