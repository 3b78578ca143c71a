
/// A chart that renders itself as a standalone SVG document.
public protocol Plot: Sendable {
    /// Heading drawn above the chart (and used in reports).
    var title: String { get }
    /// The SVG document.
    func svg() throws -> String
}
