import Testing
@testable import WebServer

@Suite struct ConnectionTimeoutsTests {
    let timeouts = ConnectionTimeouts(header: .seconds(10), idle: .seconds(60), body: .seconds(30), write: .seconds(20), linger: .seconds(2))
    let second: UInt64 = 1_000_000_000

    @Test func idleKeepAlive_closesSilentlyAfterIdleTimeout() {
        let state = ConnectionState.awaitingRequest(idleSince: 0, headStartedAt: nil)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 60 * second) == .none)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 60 * second + 1) == .close)
    }

    @Test func trickledHead_gets408AfterHeaderTimeout_countedFromItsFirstByte() {
        let state = ConnectionState.awaitingRequest(idleSince: 0, headStartedAt: 50 * second)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 60 * second) == .none)
        guard case .requestTimeout = timeouts.action(for: state, writeBlockedSince: nil, now: 60 * second + 1) else {
            Issue.record("expected 408")
            return
        }
    }

    @Test func stalledBody_gets408AfterBodyTimeout() {
        let state = ConnectionState.readingBody(lastProgress: 5 * second)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 35 * second) == .none)
        guard case .requestTimeout = timeouts.action(for: state, writeBlockedSince: nil, now: 35 * second + 1) else {
            Issue.record("expected 408")
            return
        }
    }

    @Test func stalledHandshake_closesAfterHeaderTimeout() {
        let state = ConnectionState.handshaking(since: 0)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 10 * second) == .none)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 10 * second + 1) == .close)
    }

    @Test func clientThatDoesNotRead_isClosedAfterWriteTimeout_evenWhileIdle() {
        let state = ConnectionState.awaitingRequest(idleSince: 0, headStartedAt: nil)
        #expect(timeouts.action(for: state, writeBlockedSince: 1 * second, now: 21 * second) == .none)
        #expect(timeouts.action(for: state, writeBlockedSince: 1 * second, now: 21 * second + 1) == .close)
    }

    @Test func runningHandler_hasNoConnectionTimeout() {
        #expect(timeouts.action(for: .handling, writeBlockedSince: nil, now: 1_000_000 * second) == .none)
    }

    @Test func linger_endsAfterLingerTimeout() {
        let state = ConnectionState.lingering(since: 0)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 2 * second) == .none)
        #expect(timeouts.action(for: state, writeBlockedSince: nil, now: 2 * second + 1) == .close)
    }
}
