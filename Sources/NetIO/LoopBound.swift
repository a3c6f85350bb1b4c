/// Carries a loop-confined value through a `@Sendable` closure back to its own loop, as
/// NIOLoopBound does: the value may only be touched on `loop`'s thread.
public struct LoopBound<Value>: @unchecked Sendable {
    private let _value: Value
    public let loop: EventLoop

    public init(_ value: Value, loop: EventLoop) {
        self._value = value
        self.loop = loop
    }

    public var value: Value {
        assert(loop.inEventLoop, "LoopBound value touched off its event loop")
        return _value
    }
}
