/// The hot-path form of a linked detection: the condition and selection trees flattened
/// into arrays of plain structs addressed by index, so evaluating a rule walks memory
/// without retaining enum payloads or boxes at every node (the tree form `SigmaDetection`
/// is kept for indicators). Short-circuiting is preserved.
final class SigmaCompiledDetection: Sendable {
    enum Kind: UInt8, Sendable { case selection, and, or, not, all, any }

    struct Node: Sendable {
        var kind: Kind
        /// selection: the selection node; and/or/any: first child slot; not: the child;
        /// all: the first item.
        var a: Int32
        /// and/or/any/all: the number of children or items.
        var b: Int32
    }

    let conditions: [Node]
    let selections: [Node]
    /// Child node indices of and/or (into `conditions`) and any (into `selections`).
    let conditionChildren: [Int32]
    let selectionChildren: [Int32]
    let items: [SigmaFieldItem]
    /// `items` unretained, for evaluation: `items` keeps them alive as long as this detection,
    /// and reading an item through `_withUnsafeGuaranteedRef` costs no retain/release pair.
    fileprivate let itemRefs: [Unmanaged<SigmaFieldItem>]
    let root: Int32

    init(_ d: SigmaDetection) {
        var conditions: [Node] = [], selections: [Node] = []
        var conditionChildren: [Int32] = [], selectionChildren: [Int32] = []
        var items: [SigmaFieldItem] = []
        func add(_ s: SigmaSelection) -> Int32 {
            let index = Int32(selections.count)
            selections.append(Node(kind: .all, a: 0, b: 0))
            switch s {
            case .all(let list):
                selections[Int(index)] = Node(kind: .all, a: Int32(items.count), b: Int32(list.count))
                items += list
            case .any(let alternatives):
                let children = alternatives.map(add)
                selections[Int(index)] = Node(kind: .any, a: Int32(selectionChildren.count), b: Int32(children.count))
                selectionChildren += children
            }
            return index
        }
        let roots = d.selections.map(add)
        func add(_ c: SigmaCondition) -> Int32 {
            let index = Int32(conditions.count)
            conditions.append(Node(kind: .selection, a: 0, b: 0))
            switch c {
            case .selection(let i):
                conditions[Int(index)] = Node(kind: .selection, a: roots[i], b: 0)
            case .not(let inner):
                let child = add(inner)
                conditions[Int(index)] = Node(kind: .not, a: child, b: 0)
            case .and(let terms), .or(let terms):
                let children = terms.map(add)
                let kind: Kind
                if case .and = c { kind = .and } else { kind = .or }
                conditions[Int(index)] = Node(kind: kind, a: Int32(conditionChildren.count), b: Int32(children.count))
                conditionChildren += children
            }
            return index
        }
        root = add(d.condition)
        self.conditions = conditions
        self.selections = selections
        self.conditionChildren = conditionChildren
        self.selectionChildren = selectionChildren
        self.items = items
        self.itemRefs = items.map { Unmanaged.passUnretained($0) }
    }
}

extension SigmaEvaluator {
    func matches(_ d: SigmaCompiledDetection) -> Bool { condition(d, d.root) }

    private func condition(_ d: SigmaCompiledDetection, _ index: Int32) -> Bool {
        let node = d.conditions[Int(index)]
        switch node.kind {
        case .selection: return selection(d, node.a)
        case .not: return !condition(d, node.a)
        case .and:
            for k in 0..<Int(node.b) where !condition(d, d.conditionChildren[Int(node.a) + k]) { return false }
            return true
        case .or:
            for k in 0..<Int(node.b) where condition(d, d.conditionChildren[Int(node.a) + k]) { return true }
            return false
        case .all, .any: return false
        }
    }

    private func selection(_ d: SigmaCompiledDetection, _ index: Int32) -> Bool {
        let node = d.selections[Int(index)]
        if node.kind == .all {
            for k in 0..<Int(node.b) where !d.itemRefs[Int(node.a) + k]._withUnsafeGuaranteedRef({ matches($0) }) { return false }
            return true
        }
        for k in 0..<Int(node.b) where selection(d, d.selectionChildren[Int(node.a) + k]) { return true }
        return false
    }
}
