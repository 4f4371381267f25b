/// An object that owns a descriptor registered with an `EventLoop` and reacts to its readiness.
///
/// Handlers belong to their loop: the loop calls them on its own thread only.
public protocol IOHandler: AnyObject {
    /// Called with the epoll event bits (`EPOLLIN`, `EPOLLOUT`, `EPOLLHUP`, `EPOLLERR`) that fired.
    func handleEvents(_ events: UInt32)
}
