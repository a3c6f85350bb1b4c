extension Incident {
    /// Numbers a new timeline entry. The incident only counts entries; `IncidentBook` keeps
    /// them, and hands the new ones out in each `IncidentUpdate`.
    mutating func log(_ kind: TimelineEntry.Kind, at time: Int64, _ summary: String, refs: [String] = []) -> TimelineEntry {
        timelineCount += 1
        return TimelineEntry(incidentID: id, sequence: timelineCount, time: time, kind: kind, summary: summary, refs: refs)
    }

    /// MTTA stops at the first reaction, whoever made it.
    mutating func acknowledge(at time: Int64) {
        if acknowledgedAt == nil { acknowledgedAt = time }
    }
}

/// Durations in timeline summaries: `250 ms`, `4.5 s`, `12 min`, `3.2 h`, `2 d`.
func describeDuration(_ milliseconds: Int64) -> String {
    func one(_ value: Double, _ unit: String) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int64(rounded)) \(unit)" : "\(rounded) \(unit)"
    }
    let ms = Double(milliseconds)
    if milliseconds < 1_000 { return "\(milliseconds) ms" }
    if milliseconds < 60_000 { return one(ms / 1_000, "s") }
    if milliseconds < 3_600_000 { return one(ms / 60_000, "min") }
    if milliseconds < 86_400_000 { return one(ms / 3_600_000, "h") }
    return one(ms / 86_400_000, "d")
}
