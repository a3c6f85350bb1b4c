import GRDB
import Testing
@testable import Storage

@Suite struct QueryPlanTests {
    @Test func narrowRangesUseTheTimestampIndexWideOnesTheIDIndex() async throws {
        let directory = TemporaryDirectory()
        let store = try Sample.store(directory)
        func plan(_ query: EventQuery) throws -> String {
            let plan = EventQueryPlan(query, after: nil)
            return try store.poolForTesting.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + plan.sql, arguments: plan.arguments)
                    .map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(try plan(EventQuery(from: 0, to: 60_000)).contains("events_timestamp"))
        #expect(try plan(EventQuery(from: 0, to: 86_400_000)).contains("events_id"))
        #expect(try plan(EventQuery(sourceIP: "1.2.3.4")).contains("events_id"))
        await store.close()
    }
}
