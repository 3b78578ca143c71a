import Foundation

extension MelFilterbank {
    private static let built = SharedCache<String, MelFilterbank>()

    /// The filterbank for these parameters, built once and shared (featurising a corpus asks for the
    /// same bank thousands of times).
    static func cached(sampleRate: Double, nFFT: Int, options: MelOptions) throws -> MelFilterbank {
        let key = "\(sampleRate)|\(nFFT)|\(options.nMels)|\(options.fmin)|\(String(describing: options.fmax))|\(options.htk)|\(options.norm)"
        return try built.value(for: key) { try MelFilterbank(sampleRate: sampleRate, nFFT: nFFT, options: options) }
    }
}
