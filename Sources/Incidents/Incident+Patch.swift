extension Incident {
    /// Checks the whole patch before changing anything, so a refused patch writes nothing.
    func validate(_ patch: IncidentPatch) throws(IncidentError) {
        guard !patch.isEmpty else { throw .invalidPatch("the patch changes nothing: give phase, assignee or disposition") }
        if let assignee = patch.assignee {
            guard assignee.utf8.count <= 256, !assignee.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalidPatch("assignee must be at most 256 bytes without control characters")
            }
        }
        if let target = patch.phase, target <= phase {
            throw .invalidTransition(id: id, from: phase, to: target)
        }
    }

    /// Applies a validated patch: assignee, then phase, then disposition.
    ///
    /// A `false_positive` or `benign` disposition closes the incident (through the same
    /// forward transition, so its stamps and windows are recorded like any other); changing the
    /// verdict of a closed incident later is allowed (reviews happen) and never reopens it.
    mutating func apply(_ patch: IncidentPatch, at now: Int64) throws(IncidentError) -> [TimelineEntry] {
        try validate(patch)
        let by = patch.actor.map { " by \($0)" } ?? ""
        let note = patch.note.map { ": \($0)" } ?? ""
        var entries: [TimelineEntry] = []
        if let name = patch.assignee {
            let newValue: String? = name.isEmpty ? nil : name
            if newValue != assignee {
                let summary = newValue.map { "Assigned to \($0)\(by)\(note)" } ?? "Unassigned\(by)\(note)"
                assignee = newValue
                updatedAt = now
                acknowledge(at: now)
                entries.append(log(.assignment, at: now, summary, refs: newValue.map { [$0] } ?? []))
            }
        }
        if let target = patch.phase {
            entries += try advance(to: target, at: now, reason: patch.actor.map { _ in "moved\(by)\(note)" } ?? patch.note)
        }
        if let verdict = patch.disposition, verdict != disposition {
            let previous = disposition
            disposition = verdict
            updatedAt = now
            acknowledge(at: now)
            let change = previous.map { " (was \($0.rawValue))" } ?? ""
            entries.append(log(.disposition, at: now, "Disposition \(verdict.rawValue)\(change)\(by)\(note)", refs: [verdict.rawValue]))
            if verdict.closesIncident, phase != .closed {
                entries += try advance(to: .closed, at: now, reason: "closed as \(verdict.rawValue)")
            }
        }
        return entries
    }
}
