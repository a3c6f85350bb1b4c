import MWRASPCore
import Synchronization

/// Keeps an EWMA baseline per (spec, entity) and reports values that deviate from it by
/// `threshold` sigmas or more, once the entity has `minSamples` samples. Every sample feeds
/// the baseline after it is judged, anomalies included (the baseline adapts to a new normal;
/// with alpha 0.1 a single spike moves the mean by a tenth of its excess).
///
/// Count metrics: events are counted per interval (`time / interval`, event time). A bucket
/// above the baseline fires as soon as its running count reaches the threshold (at most once
/// per bucket), so a burst is reported while it happens; otherwise the bucket is judged when
/// the entity's first event of a later interval closes it. Empty intervals in between are fed
/// as zeros (unjudged: the entity was silent, nothing arrived to judge), at most
/// `maxEmptyIntervals` of them. A late event of an already closed interval counts in the open
/// one.
public final class BaselineDetector: EventDetector {
    public static let defaultDetectorID = "BASELINE"
    public let specs: [BaselineSpec]
    private let tables: Mutex<[BaselineEntityTable]>

    public init(specs: [BaselineSpec]) {
        self.specs = specs
        self.tables = Mutex(specs.map { BaselineEntityTable(capacity: $0.maxEntities) })
    }

    /// Entities tracked by spec `index`, for metrics and tests.
    public func entityCount(spec index: Int) -> Int { tables.withLock { $0[index].count } }

    /// The baseline of one entity (nil if unknown), for tests and the API's explain view.
    public func baseline(spec index: Int, entity: String) -> EWMABaseline? {
        tables.withLock { $0[index].states[entity]?.baseline }
    }

    public func evaluate(_ input: DetectionInput) -> [Finding] {
        // Fields are read before taking the lock.
        var work: [(spec: Int, entity: String, value: Double?)] = []
        for (index, spec) in specs.enumerated() {
            guard let entity = input.text(spec.entityField), !entity.isEmpty else { continue }
            switch spec.value {
            case .count:
                work.append((index, entity, nil))
            case .field(let path):
                guard let text = input.text(path), let value = Double(text), value.isFinite else { continue }
                work.append((index, entity, value))
            }
        }
        guard !work.isEmpty else { return [] }
        let time = input.event.timestamp
        var judged: [(spec: Int, entity: String, judgement: BaselineJudgement)] = []
        tables.withLock { tables in
            for item in work {
                let spec = specs[item.spec]
                let fresh = { BaselineEntityTable.State(baseline: EWMABaseline(alpha: spec.alpha), lastSeen: time) }
                tables[item.spec].withState(item.entity, time: time, fresh: fresh) { state in
                    state.lastSeen = max(state.lastSeen, time)
                    let found = if let value = item.value {
                        Self.observe(value: value, spec: spec, state: &state)
                    } else {
                        Self.count(time: time, spec: spec, state: &state)
                    }
                    for judgement in found { judged.append((item.spec, item.entity, judgement)) }
                }
            }
        }
        return judged.map { finding(specs[$0.spec], entity: $0.entity, judgement: $0.judgement, input: input) }
    }

    /// A deviation found: the value judged and the baseline it was judged against.
    struct BaselineJudgement {
        var value: Double
        var mean: Double
        var standardDeviation: Double
        var z: Double
    }

    private static func judge(_ value: Double, spec: BaselineSpec, baseline: EWMABaseline) -> BaselineJudgement? {
        guard baseline.isWarm(minSamples: spec.minSamples),
              let z = baseline.zScore(value, floor: spec.minStandardDeviation), spec.isAnomalous(z) else { return nil }
        return BaselineJudgement(value: value, mean: baseline.mean,
                                 standardDeviation: max(baseline.standardDeviation, spec.minStandardDeviation), z: z)
    }

    private static func observe(value: Double, spec: BaselineSpec, state: inout BaselineEntityTable.State) -> [BaselineJudgement] {
        let judgement = judge(value, spec: spec, baseline: state.baseline)
        state.baseline.update(value)
        return judgement.map { [$0] } ?? []
    }

    private static func count(time: Int64, spec: BaselineSpec, state: inout BaselineEntityTable.State) -> [BaselineJudgement] {
        guard case .count(let seconds) = spec.value else { return [] }
        let interval = Int64(seconds) * 1000
        // Floor division, so times before 1970 land in the right bucket too.
        let bucket = time >= 0 ? time / interval : (time - interval + 1) / interval
        var out: [BaselineJudgement] = []
        if let open = state.bucket, bucket > open {
            if !state.firedInBucket, let judgement = judge(Double(state.bucketCount), spec: spec, baseline: state.baseline) {
                out.append(judgement)
            }
            state.baseline.update(Double(state.bucketCount))
            let empty = min(bucket - open - 1, Int64(spec.maxEmptyIntervals))
            if empty > 0 { for _ in 0..<empty { state.baseline.update(0) } }
            state.bucket = bucket
            state.bucketCount = 1
            state.firedInBucket = false
        } else if state.bucket == nil {
            state.bucket = bucket
            state.bucketCount = 1
        } else {
            state.bucketCount += 1
        }
        // Early report of a burst in the open bucket (only above: a low count can still grow).
        if spec.direction != .below, !state.firedInBucket,
           let judgement = judge(Double(state.bucketCount), spec: spec, baseline: state.baseline), judgement.z > 0 {
            state.firedInBucket = true
            out.append(judgement)
        }
        return out
    }

    private func finding(_ spec: BaselineSpec, entity: String, judgement: BaselineJudgement, input: DetectionInput) -> Finding {
        let z = judgement.z
        let indicators = [
            Indicator(name: "metric", value: spec.metric),
            Indicator(name: "entity", value: entity),
            Indicator(name: "value", value: Self.format(judgement.value)),
            Indicator(name: "mean", value: Self.format(judgement.mean)),
            Indicator(name: "stddev", value: Self.format(judgement.standardDeviation)),
            Indicator(name: "z", value: Self.format(z)),
        ]
        // Further past the threshold, more confident; capped, since a baseline is only a baseline.
        let excess = z.isFinite ? abs(z) - spec.threshold : 10
        let confidence = min(0.95, 0.6 + 0.05 * excess)
        let title = "\(spec.metric) for \(entity) is \(Self.format(judgement.value)) (baseline \(Self.format(judgement.mean)) ± \(Self.format(judgement.standardDeviation)), z \(Self.format(z)))"
        return Finding(
            detectorID: spec.id ?? Self.defaultDetectorID, type: .baseline, title: title, severity: spec.severity,
            confidence: confidence, indicators: indicators, eventIDs: [input.event.id], entities: Entities(of: input.event))
    }

    /// Three decimals at most, no Foundation formatter: `12.5`, `3`, `inf`.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "inf" : "-inf" }
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }
}
