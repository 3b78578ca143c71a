import Foundation

extension MelFilterbank {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: [String: MelFilterbank] = [:]

    /// The filterbank for these parameters, built once and shared (featurising a corpus asks for the
    /// same bank thousands of times).
    static func cached(sampleRate: Double, nFFT: Int, options: MelOptions) throws -> MelFilterbank {
        let key = "\(sampleRate)|\(nFFT)|\(options.nMels)|\(options.fmin)|\(String(describing: options.fmax))|\(options.htk)|\(options.norm)"
        lock.lock()
        defer { lock.unlock() }
        if let bank = built[key] { return bank }
        let bank = try MelFilterbank(sampleRate: sampleRate, nFFT: nFFT, options: options)
        built[key] = bank
        return bank
    }
}
