import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A vertical colour scale beside a heatmap, drawn as thin stacked bands, labelled at both ends.
struct ColorBar {
    let colormap: Colormap
    let lower: String
    let upper: String

    func draw(on canvas: inout SVGCanvas, x: Double, y: Double, height: Double, width: Double = 14) {
        let bands = 64
        let band = height / Double(bands)
        for index in 0..<bands {
            // Top band is the upper end of the scale.
            let t = 1 - (Double(index) + 0.5) / Double(bands)
            canvas.rect(x: x, y: y + band * Double(index), width: width, height: band + 0.5, fill: colormap.hex(t))
        }
        canvas.rect(x: x, y: y, width: width, height: height, fill: "none", stroke: "#888888")
        canvas.text(upper, x: x + width + 5, y: y + 10, size: 11)
        canvas.text(lower, x: x + width + 5, y: y + height, size: 11)
    }
}
