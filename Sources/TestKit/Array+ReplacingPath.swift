extension Array where Element == UInt8 {
    /// The request with the target of its request line replaced (the shared cases use placeholder paths).
    public func replacingPath(with path: String) -> [UInt8] {
        guard let firstSpace = firstIndex(of: 0x20), let secondSpace = self[(firstSpace + 1)...].firstIndex(of: 0x20) else { return self }
        return Array(self[...firstSpace]) + Array(path.utf8) + Array(self[secondSpace...])
    }
}
