extension Incident {
    /// Moves the incident forward to `target`, stamping the time.
    ///
    /// Only forward: going back, or "moving" to the current phase, is refused
    /// (`IncidentError.invalidTransition`, a 409 over the API), because the phase stamps are the
    /// record MTTR and the post-mortem are computed from. Skipping ahead is allowed: a low
    /// incident may need no eradication, a false alarm goes straight to `closed`. Skipped phases
    /// get no stamp, and their windows are checked at the moment they were skipped over.
    mutating func advance(to target: IncidentPhase, at now: Int64, reason: String? = nil) throws(IncidentError) -> [TimelineEntry] {
        guard target > phase else { throw .invalidTransition(id: id, from: phase, to: target) }
        let from = phase
        // The windows of every phase being left (the current one and any skipped) close now.
        var entries = recordOverruns(of: IncidentPhase.allCases.filter { $0 >= from && $0 < target }, at: now)
        phase = target
        phaseHistory.append(PhaseStamp(phase: target, enteredAt: now))
        updatedAt = now
        acknowledge(at: now)
        let skipped = IncidentPhase.allCases.filter { $0 > from && $0 < target }
        var summary = "Phase \(from.rawValue) → \(target.rawValue) after \(describeDuration(max(0, now - openedAt)))"
        if !skipped.isEmpty { summary += " (skipped " + skipped.map(\.rawValue).joined(separator: ", ") + ")" }
        if let reason { summary += ": \(reason)" }
        entries.append(log(.transition, at: now, summary, refs: [from.rawValue, target.rawValue]))
        if target == .closed { entries += settleTimersOnClose(at: now) }
        return entries
    }

    /// Phases the incident is in or has not yet reached whose deadline has passed: what
    /// `tick(now:)` finds.
    mutating func recordPhaseOverruns(now: Int64) -> [TimelineEntry] {
        guard phase != .closed else { return [] }
        return recordOverruns(of: IncidentPhase.allCases.filter { $0 >= phase }, at: now)
    }

    /// The phase deadline is met when the phase is left at or before it; strictly later is a
    /// breach. Each phase breaches at most once.
    private mutating func recordOverruns(of phases: [IncidentPhase], at now: Int64) -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        for phase in phases {
            guard let offset = phase.deadlineAfterOpen else { continue }
            let deadline = openedAt + offset
            guard now > deadline, !slaBreaches.contains(where: { $0.phase == phase }) else { continue }
            slaBreaches.append(SLABreach(phase: phase, deadline: deadline, recordedAt: now))
            updatedAt = max(updatedAt, now)
            entries.append(log(.slaBreach, at: now,
                               "Phase \(phase.rawValue) overran its window (due \(describeDuration(offset)) after opening, overdue by \(describeDuration(now - deadline)))",
                               refs: [phase.rawValue]))
        }
        return entries
    }

    /// The earliest moment something may breach: the next phase deadline or pending timer.
    /// Lets `tick` skip incidents with nothing due.
    var nextDeadline: Int64? {
        guard phase != .closed else { return nil }
        let breached = Set(slaBreaches.map(\.phase))
        let phaseDeadline = IncidentPhase.allCases
            .filter { $0 >= phase && !breached.contains($0) }
            .compactMap { $0.deadlineAfterOpen.map { openedAt + $0 } }.min()
        let timerDeadline = responseTimers.filter { $0.state == .pending }.map(\.deadline).min()
        return [phaseDeadline, timerDeadline].compactMap { $0 }.min()
    }
}
