import EngineTensor

extension FeatureMatrix {
    /// Fixed windows of `width` frames taken every `stride` frames; windows that would run past the
    /// last frame are dropped, as the notebooks do (563 frames, width 128, stride 64 → 7 chunks).
    public func chunks(width: Int, stride: Int) throws -> [FeatureMatrix] {
        guard width >= 1 else { throw AudioParameterError("chunks", "width must be at least 1, got \(width)") }
        guard stride >= 1 else { throw AudioParameterError("chunks", "stride must be at least 1, got \(stride)") }
        guard columns >= width else { return [] }
        return try Swift.stride(from: 0, through: columns - width, by: stride).map { try self.columns($0..<$0 + width) }
    }
}
