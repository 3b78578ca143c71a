import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A minimal SVG writer: shapes and text appended in drawing order, rendered as one document.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var body: [String] = []

    static let font = "DejaVu Sans, Helvetica, Arial, sans-serif"

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, extra: String = "") {
        body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" "
                    + "fill=\"\(fill)\"" + (stroke.map { " stroke=\"\($0)\"" } ?? "") + extra + "/>")
    }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil) {
        body.append("<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" "
                    + "stroke-width=\"\(n(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2) {
        guard !points.isEmpty else { return }
        body.append("<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\" "
                    + "points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\"/>")
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String) {
        guard !points.isEmpty else { return }
        body.append("<polygon fill=\"\(fill)\" points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\"/>")
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body.append("<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\"/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                       color: String = "#333333", bold: Bool = false, rotate: Double? = nil) {
        let transform = rotate.map { " transform=\"rotate(\(n($0)) \(n(x)) \(n(y)))\"" } ?? ""
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" "
                    + "fill=\"\(color)\"" + (bold ? " font-weight=\"bold\"" : "") + transform + ">"
                    + escapeXML(content) + "</text>")
    }

    /// A raster image (e.g. a PNG data URL) stretched over the rectangle.
    mutating func image(href: String, x: Double, y: Double, width: Double, height: Double, smooth: Bool) {
        body.append("<image x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" "
                    + "preserveAspectRatio=\"none\"" + (smooth ? "" : " style=\"image-rendering:pixelated\"")
                    + " href=\"\(href)\" xlink:href=\"\(href)\"/>")
    }

    func render() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
            + "width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
            + "font-family=\"\(Self.font)\">\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }

    private func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        // Whole numbers print without ".0" when Int holds them (far-off points of a degenerate axis may not fit).
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
    }
}

/// Escapes text for XML content and attribute values.
func escapeXML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
