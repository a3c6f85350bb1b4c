import Ingestion

/// Finds the observables of one document along `IOCCandidateFields.table`, on the JSON tape's
/// bytes (no String per key or value).
///
/// The table's paths form a trie of path components (`Event` > `EventData` > `QueryName`).
/// The root's members are walked once; a key is matched against the trie's children
/// component by component (so `"source.ip"`, `{"source": {"ip"}}` and
/// `{"Event.EventData": {...}}` resolve alike, as `DetectionInput.node` does) and only objects
/// under a matching key are descended into. A document with none of the first components
/// costs one short comparison per root key.
///
/// Order and choice are those of resolving each row with `value(atDotted:)` under each root
/// member: root members in document order, under each the rows in table order, and for a row
/// reached more than once under one root member (a repeated key) the last occurrence.
enum IOCCandidateExtractor {
    /// The trie, flattened once into memory that lives as long as the process (it is a
    /// constant), so the walk reads it through plain pointers: no array retains, no bounds
    /// checks in the per-key loop.
    final class Trie: @unchecked Sendable {
        struct Node {
            var nameStart: Int32 = 0
            var nameLength: Int32 = 0
            var childStart: Int32 = 0
            var childCount: Int32 = 0
            /// The table row this node ends, or -1.
            var row: Int32 = -1
            /// Bit `n` set when some child's name has `n` bytes (n < 64; all bits for longer).
            var lengthMask: UInt64 = 0
            /// The set of children's first bytes (256 bits): most keys fail here, before
            /// their bytes are scanned for a dot.
            var firstBytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

            @inline(__always)
            func mayStartWith(_ byte: UInt8) -> Bool {
                let word: UInt64
                switch byte >> 6 {
                case 0: word = firstBytes.0
                case 1: word = firstBytes.1
                case 2: word = firstBytes.2
                default: word = firstBytes.3
                }
                return word & (1 << UInt64(byte & 63)) != 0
            }
        }
        let nodes: UnsafeMutableBufferPointer<Node>
        let children: UnsafeMutableBufferPointer<Int32>
        let names: UnsafeMutableBufferPointer<UInt8>

        init(_ paths: [String]) {
            var names: [[UInt8]] = [[]]
            var kids: [[Int]] = [[]]
            var rows: [Int] = [-1]
            for (row, path) in paths.enumerated() {
                var node = 0
                for part in path.split(separator: ".") {
                    let name = Array(part.utf8)
                    if let child = kids[node].first(where: { names[$0] == name }) {
                        node = child
                    } else {
                        names.append(name); kids.append([]); rows.append(-1)
                        kids[node].append(names.count - 1)
                        node = names.count - 1
                    }
                }
                rows[node] = row
            }
            nodes = .allocate(capacity: names.count)
            children = .allocate(capacity: max(1, kids.reduce(0) { $0 + $1.count }))
            self.names = .allocate(capacity: max(1, names.reduce(0) { $0 + $1.count }))
            var nameAt = 0, childAt = 0
            for i in 0..<names.count {
                var node = Node()
                node.nameStart = Int32(nameAt)
                node.nameLength = Int32(names[i].count)
                for byte in names[i] { self.names[nameAt] = byte; nameAt += 1 }
                node.childStart = Int32(childAt)
                node.childCount = Int32(kids[i].count)
                for child in kids[i] {
                    children[childAt] = Int32(child); childAt += 1
                    let length = names[child].count
                    node.lengthMask |= length < 64 ? 1 << UInt64(length) : .max
                    let first = names[child].first ?? 0
                    let bit: UInt64 = 1 << UInt64(first & 63)
                    switch first >> 6 {
                    case 0: node.firstBytes.0 |= bit
                    case 1: node.firstBytes.1 |= bit
                    case 2: node.firstBytes.2 |= bit
                    default: node.firstBytes.3 |= bit
                    }
                }
                node.row = Int32(rows[i])
                nodes[i] = node
            }
        }
    }

    static let trie = Trie(IOCCandidateFields.table.map(\.path))

    /// Calls `body(row, node)` for every table row the document has (`node` being the value
    /// at that row's path, of any kind), in the order described above.
    static func forEachField(_ document: JSONScanner, _ body: (_ row: Int, _ node: Int) -> Void) {
        let trie = self.trie
        document.nodes.withUnsafeBufferPointer { tape in
            document.bytes.withUnsafeBufferPointer { bytes in
                guard tape[0].kind == .object else { return }
                // At most one entry per table row: a fixed scratch, never an allocation.
                withUnsafeTemporaryAllocation(of: (row: Int, node: Int).self, capacity: IOCCandidateFields.table.count) { found in
                    var walker = Walker(trie: trie, tape: tape, bytes: bytes, document: document, found: found)
                    var member = 1
                    let end = Int(tape[0].next)
                    while member < end {
                        let value = member + 1
                        walker.member(key: member, value: value, at: 0)
                        member = Int(tape[value].next)
                        if walker.count > 0 {
                            var hits = UnsafeMutableBufferPointer(rebasing: found[..<walker.count])
                            if hits.count > 1 { hits.sort { $0.row < $1.row } }
                            for hit in hits { body(hit.row, hit.node) }
                            walker.count = 0
                        }
                    }
                }
            }
        }
    }

    private struct Walker {
        let trie: Trie
        let tape: UnsafeBufferPointer<JSONScanner.Node>
        let bytes: UnsafeBufferPointer<UInt8>
        let document: JSONScanner
        /// Rows found under the current root member (one entry per row, the last node):
        /// `found[..<count]`.
        let found: UnsafeMutableBufferPointer<(row: Int, node: Int)>
        var count = 0

        mutating func member(key: Int, value: Int, at parent: Int) {
            let target = resolve(key, from: parent)
            guard target >= 0 else { return }
            let row = Int(trie.nodes[target].row)
            if row >= 0 {
                var i = 0
                while i < count && found[i].row != row { i += 1 }
                if i == count {
                    found.initializeElement(at: i, to: (row, value))
                    count += 1
                } else {
                    found[i].node = value
                }
            }
            guard trie.nodes[target].childCount > 0, tape[value].kind == .object else { return }
            var child = value + 1
            let end = Int(tape[value].next)
            while child < end {
                let childValue = child + 1
                member(key: child, value: childValue, at: target)
                child = Int(tape[childValue].next)
            }
        }

        /// The trie node that key node `key` leads to from `parent` (a dotted key crossing
        /// several components), or -1.
        func resolve(_ key: Int, from parent: Int) -> Int {
            let node = tape[key]
            if node.escaped {
                return document.decodedBytes(key).withUnsafeBufferPointer { resolve($0, from: parent) }
            }
            return resolve(UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)]), from: parent)
        }

        @inline(__always)
        func resolve(_ name: UnsafeBufferPointer<UInt8>, from parent: Int) -> Int {
            let nodes = trie.nodes, children = trie.children, names = trie.names
            var current = parent
            var start = 0
            let count = name.count
            while true {
                let node = nodes[current]
                guard start < count, node.mayStartWith(name[start]) else { return -1 }
                var stop = start + 1
                while stop < count && name[stop] != UInt8(ascii: ".") { stop += 1 }
                let length = stop - start
                guard length < 64 ? node.lengthMask & (1 << UInt64(length)) != 0 : node.lengthMask == .max else { return -1 }
                var next = -1
                var c = Int(node.childStart)
                let cEnd = c + Int(node.childCount)
                while c < cEnd {
                    let child = Int(children[c])
                    c += 1
                    let childNode = nodes[child]
                    guard Int(childNode.nameLength) == length else { continue }
                    let at = Int(childNode.nameStart)
                    var same = true
                    for k in 0..<length where names[at + k] != name[start + k] { same = false; break }
                    if same { next = child; break }
                }
                guard next >= 0 else { return -1 }
                current = next
                if stop == count { return current }
                start = stop + 1
            }
        }
    }
}
