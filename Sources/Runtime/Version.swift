/// The serscript release this build belongs to.
public enum SERScriptVersion {
    /// Semantic version string printed by `serscript --version`.
    public static let current = "0.1.0"
}
