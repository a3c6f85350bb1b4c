import Synchronization

/// A multi-pattern matcher (Aho-Corasick compiled to a full DFA over byte classes), built
/// once per rule set: one pass over an event's values finds every prefilter needle present.
/// Matching is ASCII case-insensitive (upper and lower case letters share a class, needles
/// are folded). Needles longer than `maxNeedleLength` keep their last bytes: a substring of
/// a required string is still required, and short needles keep the automaton small.
final class SigmaAhoCorasick: Sendable {
    static let maxNeedleLength = 12

    private let classOf: [UInt8]          // byte -> class (0 = in no needle)
    private let classCount: Int
    private let transitions: [Int32]      // state * classCount + class -> state
    private let needleOf: [Int32]         // state -> needle id ending here, or -1
    private let firstOutput: [Int32]      // state -> first state with a needle on its fail chain (itself included), or -1
    private let nextOutput: [Int32]       // output state -> next output state on the fail chain, or -1
    let stateCount: Int
    /// Unique in the process: what `SigmaScanMemo` tells automata apart by.
    let id: UInt32 = SigmaAhoCorasick.nextID.add(1, ordering: .relaxed).newValue
    private static let nextID = Atomic<UInt32>(0)

    /// `needles[i]` is needle id i (folded, non-empty, already truncated and unique).
    init(needles: [[UInt8]]) {
        var classOf = [UInt8](repeating: 0, count: 256)
        var count = 1
        for needle in needles {
            for b in needle where classOf[Int(b)] == 0 {
                classOf[Int(b)] = UInt8(count)
                count += 1
            }
        }
        for upper in 0x41...0x5A { classOf[upper] = classOf[upper + 32] }
        let k = count
        var trans: [Int32] = Array(repeating: -1, count: k)
        var needleOf: [Int32] = [-1]
        for (id, needle) in needles.enumerated() {
            var s = 0
            for b in needle {
                let c = Int(classOf[Int(b)])
                var next = Int(trans[s * k + c])
                if next < 0 {
                    next = needleOf.count
                    trans[s * k + c] = Int32(next)
                    trans.append(contentsOf: repeatElement(-1, count: k))
                    needleOf.append(-1)
                }
                s = next
            }
            needleOf[s] = Int32(id)
        }
        let states = needleOf.count
        var fail = [Int32](repeating: 0, count: states)
        var firstOutput = [Int32](repeating: -1, count: states)
        var nextOutput = [Int32](repeating: -1, count: states)
        // Breadth-first: a state's fail target is always finished before the state.
        var queue: [Int] = []
        queue.reserveCapacity(states)
        for c in 0..<k {
            let t = trans[c]
            if t < 0 { trans[c] = 0 } else { fail[Int(t)] = 0; queue.append(Int(t)) }
        }
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            let f = Int(fail[s])
            let inherited = firstOutput[f]
            if needleOf[s] >= 0 { firstOutput[s] = Int32(s); nextOutput[s] = inherited } else { firstOutput[s] = inherited }
            for c in 0..<k {
                let t = trans[s * k + c]
                if t < 0 {
                    trans[s * k + c] = trans[f * k + c]
                } else {
                    fail[Int(t)] = trans[f * k + c]
                    queue.append(Int(t))
                }
            }
        }
        // Renumber states breadth-first: the shallow states, where scanning spends most of
        // its time, then share cache lines instead of being spread over the whole table.
        var newID = [Int32](repeating: 0, count: states)
        for (i, s) in queue.enumerated() { newID[s] = Int32(i + 1) }
        func remap(_ x: Int32) -> Int32 { x < 0 ? x : newID[Int(x)] }
        var order = [0] + queue
        if order.count > states { order = Array(order.prefix(states)) }
        var trans2 = [Int32](repeating: 0, count: states * k)
        var needle2 = [Int32](repeating: -1, count: states)
        var first2 = [Int32](repeating: -1, count: states)
        var next2 = [Int32](repeating: -1, count: states)
        // A transition into a state with output carries the sign bit, so the scan loop
        // touches only the transition table per byte.
        for old in order {
            let new = Int(newID[old])
            for c in 0..<k {
                let target = Int(trans[old * k + c])
                trans2[new * k + c] = newID[target] | (firstOutput[target] >= 0 ? Int32.min : 0)
            }
            needle2[new] = needleOf[old]
            first2[new] = remap(firstOutput[old])
            next2[new] = remap(nextOutput[old])
        }
        self.classOf = classOf
        self.classCount = k
        self.transitions = trans2
        self.needleOf = needle2
        self.firstOutput = first2
        self.nextOutput = next2
        self.stateCount = states
    }

    /// JSON one-character escapes -> the byte they stand for (0 = not one of them).
    private static let unescape: [UInt8] = (0..<256).map { b -> UInt8 in
        switch UInt8(b) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): UInt8(b)
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: 0
        }
    }

    /// Appends the id of every needle occurrence in `value` to `hits`.
    func scan(_ value: UnsafeBufferPointer<UInt8>, into hits: inout [Int32]) {
        guard let base = value.baseAddress else { return }
        classOf.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { trans in
                let k = classCount
                var s = 0
                for i in 0..<value.count {
                    let t = trans[s &* k &+ Int(classes[Int(base[i])])]
                    s = Int(t & Int32.max)
                    if t < 0 { outputs(s, into: &hits) }
                }
            }
        }
    }

    /// One JSON string's contents `base[start..<end]` (with `escaped`: one-character escapes
    /// read as the bytes they stand for; the caller rules out `\u` escapes).
    func scan(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, escaped: Bool, into hits: inout [Int32]) {
        classOf.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { trans in
                let k = classCount
                var s = 0
                var i = start
                while i < end {
                    var byte = base[i]
                    if escaped && byte == 0x5C && i + 1 < end {
                        i &+= 1
                        byte = Self.unescape[Int(base[i])]
                    }
                    let t = trans[s &* k &+ Int(classes[Int(byte)])]
                    s = Int(t & Int32.max)
                    if t < 0 { outputs(s, into: &hits) }
                    i &+= 1
                }
            }
        }
    }

    private func outputs(_ s: Int, into hits: inout [Int32]) {
        var out = firstOutput[s]
        while out >= 0 {
            hits.append(needleOf[Int(out)])
            out = nextOutput[Int(out)]
        }
    }

    /// Appends the id of every needle occurrence in each range of `base` to `hits` (the
    /// automaton restarts at each range: values are scanned separately). With `escaped`,
    /// the ranges are JSON string contents whose escapes are all one-character ones, read
    /// as the bytes they stand for.
    func scan(_ base: UnsafePointer<UInt8>, _ ranges: [SIMD2<Int32>], escaped: Bool = false, into hits: inout [Int32]) {
        classOf.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { trans in
                firstOutput.withUnsafeBufferPointer { first in
                    needleOf.withUnsafeBufferPointer { needles in
                        nextOutput.withUnsafeBufferPointer { next in
                            let k = classCount
                            for range in ranges {
                                var s = 0
                                var i = Int(range.x)
                                let end = Int(range.y)
                                while i < end {
                                    var byte = base[i]
                                    if escaped && byte == 0x5C && i + 1 < end {
                                        i &+= 1
                                        byte = Self.unescape[Int(base[i])]
                                    }
                                    let t = trans[s &* k &+ Int(classes[Int(byte)])]
                                    s = Int(t & Int32.max)
                                    if t < 0 {
                                        var out = first[s]
                                        while out >= 0 {
                                            hits.append(needles[Int(out)])
                                            out = next[Int(out)]
                                        }
                                    }
                                    i &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
