/// What a `ClientConnection` tells the object that owns it. Called on the connection's loop.
protocol ClientConnectionOwner: AnyObject {
    /// The connect completed; what the owner sends now goes out with whatever it sent while connecting.
    func connected()
    /// Bytes arrived, read at `now` (`MonotonicClock.nanoseconds()`); valid only during the call.
    func received(_ bytes: UnsafeRawBufferPointer, now: UInt64)
    /// The connection failed or the server closed it; it is closed now.
    func ended(_ failure: ClientConnection.Failure)
}
