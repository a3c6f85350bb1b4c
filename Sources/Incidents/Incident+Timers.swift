import MWRASPCore

extension Incident {
    /// Starts the objective for `severity` unless a timer for that milestone already runs (or
    /// ran): escalating from high to critical adds the 100 ms timer, re-reaching high adds nothing.
    mutating func startTimer(for severity: Severity, at now: Int64) -> [TimelineEntry] {
        guard let objective = ResponseObjective.forSeverity(severity),
              !responseTimers.contains(where: { $0.milestone == objective.milestone }) else { return [] }
        var timer = ResponseTimer(milestone: objective.milestone, severity: severity, startedAt: now, deadline: now + objective.budget)
        var entries: [TimelineEntry] = []
        // The milestone may already have happened (an automated action recorded while the
        // incident was still high): then the timer is settled at once.
        if let at = milestone(objective.milestone) {
            timer.metAt = at
            timer.state = at <= timer.deadline ? .met : .breached
            if timer.state == .breached {
                timer.breachedAt = now
                entries.append(breachEntry(timer, at: now))
            }
        }
        responseTimers.append(timer)
        return entries
    }

    /// Records a milestone (the first time only) and settles the timer waiting for it.
    mutating func reach(_ milestone: Milestone, at time: Int64, note: String?) -> [TimelineEntry] {
        guard self.milestone(milestone) == nil else { return [] }
        milestones.append(MilestoneStamp(milestone: milestone, at: time))
        updatedAt = max(updatedAt, time)
        if milestone == .investigation { acknowledge(at: time) }
        var summary = "Milestone \(milestone.rawValue) reached \(describeDuration(max(0, time - openedAt))) after opening"
        if let note { summary += ": \(note)" }
        var entries = [log(.milestone, at: time, summary, refs: [milestone.rawValue])]
        for index in responseTimers.indices where responseTimers[index].milestone == milestone {
            switch responseTimers[index].state {
            case .pending:
                responseTimers[index].metAt = time
                if time <= responseTimers[index].deadline {
                    responseTimers[index].state = .met
                } else {
                    // Late and no tick noticed yet: the milestone itself records the breach.
                    responseTimers[index].state = .breached
                    responseTimers[index].breachedAt = time
                    entries.append(breachEntry(responseTimers[index], at: time))
                }
            case .breached:
                responseTimers[index].metAt = time
            case .met, .cancelled:
                break
            }
        }
        return entries
    }

    /// Pending timers whose deadline passed (strictly) by `now`.
    mutating func recordTimerBreaches(now: Int64) -> [TimelineEntry] {
        var entries: [TimelineEntry] = []
        for index in responseTimers.indices
        where responseTimers[index].state == .pending && now > responseTimers[index].deadline {
            responseTimers[index].state = .breached
            responseTimers[index].breachedAt = now
            updatedAt = max(updatedAt, now)
            entries.append(breachEntry(responseTimers[index], at: now))
        }
        return entries
    }

    /// On closing: a timer already overdue is breached; one still within its budget is
    /// cancelled, since no response is owed for a closed incident.
    mutating func settleTimersOnClose(at now: Int64) -> [TimelineEntry] {
        var entries = recordTimerBreaches(now: now)
        for index in responseTimers.indices where responseTimers[index].state == .pending {
            responseTimers[index].state = .cancelled
        }
        if !entries.isEmpty { updatedAt = max(updatedAt, now) }
        entries.sort(by: TimelineEntry.chronological)
        return entries
    }

    private mutating func breachEntry(_ timer: ResponseTimer, at time: Int64) -> TimelineEntry {
        log(.slaBreach, at: time,
            "Response objective missed: \(timer.severity.name) needs \(timer.milestone.rawValue) within \(describeDuration(timer.deadline - timer.startedAt))",
            refs: [timer.milestone.rawValue, timer.severity.name])
    }
}
