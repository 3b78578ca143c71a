import Engine
import Foundation

extension BuiltinRegistry {
    /// The whole-signal FFT spectrum of the exploratory notebooks (`np.abs(np.fft.fft(y))`).
    func registerSpectrum() {
        domain = "Audio"
        function("fft_spectrum", [Parameter("y"), Parameter("power", 1.0), Parameter("bands", nil)],
                 doc: "The spectrum of a whole Audio value in one FFT (numpy's `np.abs(np.fft.fft(y))` over 0 … sr/2; `power: 2` for power) as a record {frequency, magnitude} of lists, bin k at k·sr/N Hz; `bands: 1000` averages it into 1000 equal runs of bins for a light plot: `let s = fft_spectrum(clip, bands: 1000); plot_lines({magnitude: s.magnitude}, x: s.frequency)`.") { a in
            let signal = try a.object("y", as: AudioValue.self, named: "Audio").signal
            var spectrum = try signal.fftSpectrum(power: try a.double("power"))
            if let bands = try a.optionalInt("bands") { spectrum = try spectrum.averaged(into: bands) }
            return .dict(DictBox([("frequency", .list(ListBox(spectrum.frequencies.map { .float($0) }))),
                                  ("magnitude", .list(ListBox(spectrum.values.map { .float($0) })))]))
        }
    }
}
