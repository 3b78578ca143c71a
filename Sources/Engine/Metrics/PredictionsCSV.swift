import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// Per-clip predictions as CSV: path, speaker, gender, intensity, corpus, true and predicted class,
/// whether correct, and one probability column per class when probabilities are given.
public func predictionsCSV(_ dataset: Dataset, predictions: [Int], probabilities: [[Float]]? = nil) throws -> String {
    guard predictions.count == dataset.count else {
        throw DataError("\(predictions.count) predictions for \(dataset.count) clips")
    }
    if let probabilities, probabilities.count != dataset.count || probabilities.contains(where: { $0.count != dataset.classes.count }) {
        throw DataError("probabilities must be \(dataset.count) rows of \(dataset.classes.count) values")
    }
    let names = dataset.classNames
    var header = ["path", "speaker", "gender", "intensity", "corpus", "true", "predicted", "correct"]
    if probabilities != nil { header += names.map { "p_\($0)" } }
    var rows: [[String]] = []
    for row in 0..<dataset.count {
        let guess = predictions[row]
        guard names.indices.contains(guess) else {
            throw DataError("prediction \(guess) of clip \(row) is not a class index 0..<\(names.count)")
        }
        var fields = [DatasetColumn.path, .speaker, .gender, .intensity, .corpus].map { dataset.value($0, at: row) }
        fields += [names[dataset.labels[row]], names[guess], dataset.labels[row] == guess ? "1" : "0"]
        if let probabilities { fields += probabilities[row].map { CSV.number(Double($0)) } }
        rows.append(fields)
    }
    return CSV.table(header: header, rows: rows)
}
