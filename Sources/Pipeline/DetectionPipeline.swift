import Dispatch
import Foundation
import Detection
import Logging
import Metrics
import MWRASPCore
import Storage
import Synchronization

/// Turns stored events into detections and incidents, off the ingest path.
///
/// The pipeline tails the event log in commit order (`events(afterSequence:)`), runs the
/// detectors on each event, correlates the findings into incidents, and commits the detections,
/// the incident snapshots and its own position in ONE transaction. So:
/// - ingestion never waits for detection (the 202 only waits for the event's own commit);
/// - a crash loses nothing and repeats nothing: after a restart the pipeline resumes after the
///   last committed position;
/// - back-pressure is natural: if detection falls behind, events wait in the store, not in memory.
/// Ingestion calls `wake()` after each commit so the pipeline does not poll; it also looks on
/// its own every second (events written by other nodes or paths).
public final class DetectionPipeline: Sendable {
    public struct Options: Sendable {
        /// Events read and committed per batch.
        public var batchSize = 2048
        /// The longest sleep without a wake-up.
        public var idlePoll: Duration = .seconds(1)
        public init() {}
    }

    static let checkpointName = "detection.sequence"

    private let store: any DetectionStore
    private let engine: any FindingEngine
    private let incidents: any IncidentCorrelator
    private let now: @Sendable () -> Int64
    private let options: Options
    private let logger: Logger
    private let signal = WakeSignal()
    /// CPU work runs here, never on Swift's cooperative pool (it serves the HTTP handlers).
    private let queue = DispatchQueue(label: "mwrasp.detection", qos: .userInitiated)
    /// The detectors of one batch run here while the batch before it is correlated on `queue`.
    private let detectQueue = DispatchQueue(label: "mwrasp.detection.detectors", qos: .userInitiated)
    private let latency = Metrics.Timer(label: "mwrasp_detection_latency_seconds")
    private let detectionsCounter = Counter(label: "mwrasp_detections_total")
    private let processedCounter = Counter(label: "mwrasp_detection_events_total")
    private let state = Mutex(State())

    private struct State {
        var position: Int64 = 0
        var processed = 0
        var task: Task<Void, Never>?
        /// Which incident and finding each SIEM alert became, so its repeats count there (bounded).
        var alertIncidents: [Int64: AlertFinding] = [:]
        var alertOrder: [Int64] = []
        var stageNanoseconds = StageTimes()
    }

    /// Wall time spent per stage since start, for benchmarks and tuning.
    public struct StageTimes: Sendable {
        public var read: UInt64 = 0
        public var detect: UInt64 = 0
        /// The detectors' part of `detect` (the rest is correlation and encoding).
        public var detectors: UInt64 = 0
        /// Correlation into incidents, and counting alert repeats on them.
        public var correlate: UInt64 = 0
        public var repeats: UInt64 = 0
        public var findings = 0
        public var commit: UInt64 = 0
    }

    public var stageTimes: StageTimes { state.withLock { $0.stageNanoseconds } }

    static let maxRememberedAlerts = 100_000

    public init(store: any DetectionStore, engine: any FindingEngine, incidents: any IncidentCorrelator,
                now: @escaping @Sendable () -> Int64, options: Options = Options(), logger: Logger) {
        self.store = store
        self.engine = engine
        self.incidents = incidents
        self.now = now
        self.options = options
        self.logger = logger
    }

    /// Called by ingestion after a commit.
    public func wake() { signal.signal() }

    /// Events processed since start (tests and benchmarks wait on it).
    public var processedEvents: Int { state.withLock { $0.processed } }
    /// The log position detection has committed.
    public var position: Int64 { state.withLock { $0.position } }

    public func start() async throws(StoreError) {
        let position = try await store.checkpoint(Self.checkpointName) ?? 0
        state.withLock { $0.position = position }
        try await restoreAlertIncidents()
        let task = Task.detached { [self] in await self.run() }
        state.withLock { $0.task = task }
    }

    public func stop() async {
        let task = state.withLock { state -> Task<Void, Never>? in
            defer { state.task = nil }
            return state.task
        }
        task?.cancel()
        signal.signal()
        await task?.value
        // Snapshots held back by the write throttle, and breaches due by now.
        try? await tick(now())
    }

    /// Returns once everything stored so far is processed (tests, benchmarks). With the loop
    /// running it waits for the loop (two steppers would process a batch twice); without, it
    /// steps itself.
    public func drain() async throws(StoreError) {
        let target = try await store.lastEventSequence()
        if state.withLock({ $0.task == nil }) {
            while try await step() {}
        } else {
            wake()
            while position < target {
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        try await tick(now())
    }

    /// The server's loop. Stages overlap: while one commit runs (on the store's writer), the
    /// next batches are read and judged, and their results gather into the next commit (group
    /// commit: under a stream of small batches, one transaction per batch rewrote the same
    /// incident snapshot and index pages again and again). Commits still happen one at a time
    /// and in order, each with its checkpoint, so a crash resumes exactly after the last
    /// committed batch.
    ///
    /// The loop waits for a commit only when what has gathered behind it is large (memory stays
    /// bounded when the store is slow). It does not wait for one before it sleeps: a commit can
    /// take a hundred milliseconds when it queues behind the indexer's transaction or a WAL
    /// checkpoint, and at 50,000 events/s offered the loop goes idle between 10 ms arrivals,
    /// so waiting there held every new event back that long (the p99 detection latency). A
    /// finished commit wakes the loop, which commits what gathered meanwhile.
    private func run() async {
        var lastTick = now()
        var inFlight: CommitInFlight?
        var gathered = GatheredCommit()
        // The last sequence correlated (gathered or committed): what a tick's changes commit at.
        var correlatedThrough = position
        // The next batch, read while this one is judged.
        var prefetch: Task<Result<[SequencedEvent], StoreError>, Never>?
        var readPosition = position
        // The batch whose detectors run now (correlated on the next round).
        var detecting: Task<DetectedBatch, Never>?
        func correlateDetected(_ task: Task<DetectedBatch, Never>) async {
            let detected = await task.value
            let batch = await correlate(detected)
            gathered.add(batch, through: detected.through, count: detected.events.count)
            correlatedThrough = detected.through
        }
        /// Waits for the running commit (at once when it is done; its failure is thrown), then
        /// starts one of everything gathered.
        func commitGathered() async throws(StoreError) {
            if let previous = inFlight {
                inFlight = nil
                try await previous.task.value.get()
            }
            guard !gathered.isEmpty else { return }
            let signal = self.signal
            inFlight = CommitInFlight(gathered, onDone: { signal.signal() }) { batch, through, count in
                await self.commit(batch, through: through, count: count)
            }
            gathered = GatheredCommit()
        }
        /// Commits what gathered if no commit runs, or if too much waits behind the running one.
        func commitIfDue() async throws(StoreError) {
            if inFlight?.isDone ?? true || gathered.count >= options.batchSize * 4 {
                try await commitGathered()
            }
        }
        while !Task.isCancelled {
            do {
                let started = DispatchTime.now().uptimeNanoseconds
                let events: [SequencedEvent]
                if let next = prefetch {
                    prefetch = nil
                    events = try await next.value.get()
                } else {
                    events = try await store.events(afterSequence: readPosition, limit: options.batchSize)
                }
                if let last = events.last {
                    prefetch = read(after: last.sequence)
                    // This batch's detectors run while the previous batch is correlated.
                    recordRead(since: started)
                    let next = startDetecting(events, through: last.sequence, after: detecting)
                    if let previous = detecting { await correlateDetected(previous) }
                    detecting = next
                    readPosition = last.sequence
                    try await commitIfDue()
                } else {
                    if let previous = detecting {
                        detecting = nil
                        await correlateDetected(previous)
                    }
                    try await commitIfDue()
                    // New events, or the running commit ending, wake the loop.
                    await signal.wait(timeout: options.idlePoll)
                }
                let current = now()
                if current - lastTick >= 1000 {
                    // Breaches and timers join the next commit: the loop does not stop for them
                    // (waiting for the running commit and writing a commit of its own each second
                    // showed as a stall in the p99 latency).
                    lastTick = current
                    let changes = await onQueue { self.tickChanges(current) }
                    if !changes.isEmpty { gathered.add(changes, through: correlatedThrough, count: 0) }
                }
            } catch {
                if let previous = inFlight {
                    inFlight = nil
                    _ = await previous.task.value
                }
                if let previous = detecting {
                    detecting = nil
                    _ = await previous.value
                }
                gathered = GatheredCommit()
                if let next = prefetch {
                    prefetch = nil
                    _ = await next.value
                }
                // Read again from what is committed (a failed commit's batch is judged again).
                readPosition = position
                correlatedThrough = position
                if Task.isCancelled { break }
                logger.error("detection pipeline failed; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        // Stopping: what was judged is committed, so a restart does not judge it again.
        if let previous = detecting { await correlateDetected(previous) }
        _ = try? await commitGathered()
        if let previous = inFlight { _ = await previous.task.value }
        if let next = prefetch { _ = await next.value }
    }

    private func read(after sequence: Int64) -> Task<Result<[SequencedEvent], StoreError>, Never> {
        let store = self.store
        let limit = options.batchSize
        return Task {
            do {
                return .success(try await store.events(afterSequence: sequence, limit: limit))
            } catch let error as StoreError {
                return .failure(error)
            } catch {
                return .failure(.database("\(error)"))
            }
        }
    }

    private func commit(_ batch: DetectionBatch, through sequence: Int64, count: Int) async -> Result<Void, StoreError> {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try await store.commit(batch)
        } catch {
            return .failure(error)
        }
        let committed = DispatchTime.now().uptimeNanoseconds
        state.withLock { state in
            state.position = sequence
            state.processed += count
            state.stageNanoseconds.commit += committed - started
        }
        processedCounter.increment(by: count)
        detectionsCounter.increment(by: batch.detections.count)
        return .success(())
    }

    /// One batch: read, detect, commit. False when there was nothing to do.
    @discardableResult
    func step() async throws(StoreError) -> Bool {
        let started = DispatchTime.now().uptimeNanoseconds
        let events = try await store.events(afterSequence: position, limit: options.batchSize)
        guard let last = events.last else { return false }
        let batch = await judge(events, through: last.sequence, readStarted: started)
        try await commit(batch, through: last.sequence, count: events.count).get()
        return true
    }

    /// Runs the detectors and correlation over a batch read since `readStarted`, recording the
    /// stage times (`step`; the loop overlaps the two stages across batches).
    private func judge(_ events: [SequencedEvent], through sequence: Int64, readStarted: UInt64) async -> DetectionBatch {
        recordRead(since: readStarted)
        return await correlate(await startDetecting(events, through: sequence, after: nil).value)
    }

    /// The detectors over a batch, on `detectQueue`, after the batch before it (`previous`):
    /// the stateful detectors must see the events in order.
    private func startDetecting(_ events: [SequencedEvent], through sequence: Int64,
                                after previous: Task<DetectedBatch, Never>?) -> Task<DetectedBatch, Never> {
        Task {
            _ = await previous?.value
            let started = DispatchTime.now().uptimeNanoseconds
            let findings = await withCheckedContinuation { continuation in
                detectQueue.async { continuation.resume(returning: self.detect(events)) }
            }
            let detected = DispatchTime.now().uptimeNanoseconds
            state.withLock { $0.stageNanoseconds.detect += detected - started }
            return DetectedBatch(events: events, findings: findings, through: sequence)
        }
    }

    private func recordRead(since started: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        state.withLock { $0.stageNanoseconds.read += now - min(now, started) }
    }

    /// Correlation of a detected batch into incidents, on `queue`.
    private func correlate(_ detected: DetectedBatch) async -> DetectionBatch {
        let started = DispatchTime.now().uptimeNanoseconds
        let batch = await onQueue { self.correlate(detected.events, findings: detected.findings, through: detected.through) }
        let finished = DispatchTime.now().uptimeNanoseconds
        state.withLock { $0.stageNanoseconds.detect += finished - started }
        return batch
    }

    /// Time-driven incident changes and every snapshot held back, committed now (drain, stop).
    private func tick(_ current: Int64) async throws(StoreError) {
        var batch = DetectionBatch()
        incidents.tick(now: current, flushAll: true, into: &batch)
        if !batch.isEmpty { try await store.commit(batch) }
    }

    /// The loop's periodic tick: time-driven changes for the next commit (runs on `queue`,
    /// where correlation changes the same incidents).
    private func tickChanges(_ current: Int64) -> DetectionBatch {
        var batch = DetectionBatch()
        incidents.tick(now: current, flushAll: false, into: &batch)
        return batch
    }

    /// The detectors' findings for each judged event of the batch (runs on `detectQueue`).
    /// Lifecycle updates and alert repeats are counted, not judged again.
    private func detect(_ events: [SequencedEvent]) -> [[Finding]] {
        let engineStarted = DispatchTime.now().uptimeNanoseconds
        var judged: [Event] = []
        judged.reserveCapacity(events.count)
        for index in events.indices where !events[index].isRepeat { judged.append(events[index].event) }
        let findingsPerEvent = engine.findings(forEvents: judged)
        let engineNanoseconds = DispatchTime.now().uptimeNanoseconds - engineStarted
        state.withLock { $0.stageNanoseconds.detectors += engineNanoseconds }
        return findingsPerEvent
    }

    /// Turns a detected batch into detections and incident changes (runs on `queue`).
    private func correlate(_ events: [SequencedEvent], findings findingsPerEvent: [[Finding]], through sequence: Int64) -> DetectionBatch {
        var batch = DetectionBatch()
        batch.checkpoints[Self.checkpointName] = sequence
        var judgedIndex = 0
        var correlateNanoseconds: UInt64 = 0
        var repeatNanoseconds: UInt64 = 0
        defer {
            state.withLock {
                $0.stageNanoseconds.correlate += correlateNanoseconds
                $0.stageNanoseconds.repeats += repeatNanoseconds
                $0.stageNanoseconds.findings += batch.detections.count
            }
        }
        // Repeats are added up per alert and counted once per batch: an alert storm costs a
        // dictionary update per repeat, not an incident update.
        var repeats: [Int64: (finding: AlertFinding, lastEventID: EventID, count: Int)] = [:]
        var repeatOrder: [Int64] = []
        // By index, reading fields in place rather than copying each event out of the array.
        for index in events.indices {
            let isRepeat = events[index].isRepeat
            let alertID = events[index].alertID
            if isRepeat || SIEMAlertFinding.isLifecycleUpdate(events[index].event) {
                let repeatStarted = DispatchTime.now().uptimeNanoseconds
                if let alertID, let finding = state.withLock({ $0.alertIncidents[alertID] }) {
                    if let known = repeats[alertID] {
                        repeats[alertID] = (known.finding, events[index].event.id, known.count + 1)
                    } else {
                        repeats[alertID] = (finding, events[index].event.id, 1)
                        repeatOrder.append(alertID)
                    }
                }
                repeatNanoseconds += DispatchTime.now().uptimeNanoseconds - repeatStarted
                if isRepeat { continue }
            }
            var findings = findingsPerEvent[judgedIndex]
            judgedIndex += 1
            if events[index].event.kind == .alert, !SIEMAlertFinding.isLifecycleUpdate(events[index].event) {
                findings.append(SIEMAlertFinding.make(events[index].event))
            }
            let eventTime = events[index].event.timestamp
            let receivedAt = events[index].event.receivedAt
            for finding in findings {
                let detectedAt = now()
                var detection = Detection(
                    id: DetectionIDs.next(milliseconds: detectedAt), finding: finding, detectedAt: detectedAt,
                    eventTime: eventTime, latencySeconds: Double(max(0, detectedAt - receivedAt)) / 1000)
                let correlateStarted = DispatchTime.now().uptimeNanoseconds
                incidents.correlate(&detection, now: detectedAt, into: &batch)
                correlateNanoseconds += DispatchTime.now().uptimeNanoseconds - correlateStarted
                latency.recordNanoseconds(max(0, detectedAt - receivedAt) * 1_000_000)
                if finding.type == .siemAlert, let alertID, let incidentID = detection.incidentID {
                    remember(alertID: alertID, AlertFinding(incidentID: incidentID, detectionID: detection.id))
                }
                // Its JSON is made by the commit, beside this thread (`DeferredDocument`).
                let judged = detection
                batch.detections.append(DetectionRow(
                    id: detection.id, detectorID: finding.detectorID, type: finding.type.rawValue,
                    severity: finding.severity.rawValue, incidentID: detection.incidentID, detectedAt: detectedAt,
                    encoding: { DetectionView(judged).encoded() }))
            }
        }
        let repeatStarted = DispatchTime.now().uptimeNanoseconds
        for alertID in repeatOrder {
            guard let entry = repeats[alertID] else { continue }
            incidents.countRepeats(of: entry.finding, lastEventID: entry.lastEventID, count: entry.count, now: now(), into: &batch)
        }
        repeatNanoseconds += DispatchTime.now().uptimeNanoseconds - repeatStarted
        incidents.finish(now: now(), into: &batch)
        return batch
    }

    /// After a restart: which incident each recently seen SIEM alert joined, from the alerts'
    /// first events and the restored incidents' findings, so the alerts' next repeats count
    /// there instead of correlating as new findings.
    private func restoreAlertIncidents() async throws(StoreError) {
        let origins = incidents.siemAlertOrigins()
        guard !origins.isEmpty else { return }
        let alerts = try await store.recentAlerts(seenSince: now() - Self.alertMemoryHorizon, limit: Self.maxRememberedAlerts)
        for alert in alerts.reversed() {
            if let finding = origins[alert.firstEventID] { remember(alertID: alert.alertID, finding) }
        }
    }

    /// Alerts not repeated for this long are not looked up again after a restart.
    static let alertMemoryHorizon: Int64 = 86_400_000

    private func remember(alertID: Int64, _ finding: AlertFinding) {
        state.withLock { state in
            if state.alertIncidents.updateValue(finding, forKey: alertID) == nil {
                state.alertOrder.append(alertID)
                if state.alertOrder.count > Self.maxRememberedAlerts {
                    let evicted = state.alertOrder.prefix(Self.maxRememberedAlerts / 10)
                    for id in evicted { state.alertIncidents[id] = nil }
                    state.alertOrder.removeFirst(evicted.count)
                }
            }
        }
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}

/// `det_` + ULID.
enum DetectionIDs {
    /// Ids need randomness, not secrecy: the system generator cost a getrandom call per draw.
    private static let random = Mutex(FastRandom())

    static func next(milliseconds: Int64) -> String {
        let id = random.withLock { generator in EventID(milliseconds: milliseconds, using: &generator) }
        return "det_" + id.rawValue
    }
}

/// A batch the detectors have judged, waiting for correlation.
struct DetectedBatch: Sendable {
    let events: [SequencedEvent]
    /// Per judged (not repeated) event, in order.
    let findings: [[Finding]]
    let through: Int64
}
