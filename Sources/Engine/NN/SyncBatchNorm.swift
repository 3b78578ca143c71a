import EngineTensor

/// Batch norm whose training statistics cover the whole global batch of a data-parallel `fit`
/// (PyTorch's SyncBatchNorm): each rank's per-channel sums are added over the ranks — the mean
/// first, then the squared deviations from it — so every rank normalises by the statistics one
/// process would compute for the full batch, and the running statistics agree across ranks.
/// Backward sums the two per-channel terms that couple the examples, weighted by each rank's
/// share, so the input gradients are those of the single-process batch in each rank's own loss
/// units (the gradient averaging of `DataParallel` then weights them by the rank's share).
extension BatchNormLayer {
    func synchronizedForward(_ input: Tensor, group: any Communicator) throws -> Tensor {
        let (batch, channels) = (input.shape[0], numFeatures)
        let length = input.count / max(1, batch * channels)
        let local = Double(batch * length)
        let x = input.storage.pointer
        func channelSums(_ term: (Int, Float) -> Double) -> [Double] {
            var sums = [Double](repeating: 0, count: channels)
            for n in 0..<batch {
                for c in 0..<channels {
                    let row = x + (n * channels + c) * length
                    var sum = 0.0
                    for i in 0..<length { sum += term(c, row[i]) }
                    sums[c] += sum
                }
            }
            return sums
        }
        let totals = try group.sum(channelSums { _, value in Double(value) } + [local])
        let count = totals[channels]
        guard count > 1 else {
            throw LayerError(layer: self, reason: "training needs more than one value per channel over all ranks, got \(Int(count))")
        }
        let mean = totals.prefix(channels).map { $0 / count }
        let squares = try group.sum(channelSums { c, value in (Double(value) - mean[c]) * (Double(value) - mean[c]) })
        let invStd = squares.map { Float(1 / ($0 / count + Double(epsilon)).squareRoot()) }
        for c in 0..<channels {
            runningMean.storage.pointer[c] = (1 - momentum) * runningMean.storage.pointer[c] + momentum * Float(mean[c])
            runningVar.storage.pointer[c] = (1 - momentum) * runningVar.storage.pointer[c] + momentum * Float(squares[c] / (count - 1))
        }
        numBatchesTracked.storage.pointer[0] += 1
        let output = try Tensor.uninitialized(input.shape)
        let (weight, bias) = (self.weight, self.bias)
        let y = output.storage.pointer, gamma = weight.storage.pointer, beta = bias.storage.pointer
        for n in 0..<batch {
            for c in 0..<channels {
                let offset = (n * channels + c) * length
                let scale = gamma[c] * invStd[c], shift = beta[c] - Float(mean[c]) * scale
                for i in 0..<length { y[offset + i] = x[offset + i] * scale + shift }
            }
        }
        return Tensor.record(output, op: "sync_batch_norm", parents: [input, weight, bias]) { gradOutput in
            let dy = gradOutput.storage.pointer
            var sums = [Double](repeating: 0, count: 2 * channels)   // Σdy, Σdy·x̂ per channel, this rank
            for n in 0..<batch {
                for c in 0..<channels {
                    let offset = (n * channels + c) * length
                    for i in 0..<length {
                        let xhat = Double((x[offset + i] - Float(mean[c])) * invStd[c])
                        sums[c] += Double(dy[offset + i])
                        sums[channels + c] += Double(dy[offset + i]) * xhat
                    }
                }
            }
            let gradWeight = try Tensor.uninitialized([channels]), gradBias = try Tensor.uninitialized([channels])
            for c in 0..<channels {
                gradBias.storage.pointer[c] = Float(sums[c])
                gradWeight.storage.pointer[c] = Float(sums[channels + c])
            }
            guard input.requiresGrad else { return [nil, gradWeight, gradBias] }
            // Each rank's loss is a mean over its own examples: weight its sums by its share.
            let coupled = try group.sum(sums.map { $0 * local })
            let gradInput = try Tensor.uninitialized(input.shape)
            let dx = gradInput.storage.pointer
            for n in 0..<batch {
                for c in 0..<channels {
                    let offset = (n * channels + c) * length
                    let scale = gamma[c] * invStd[c]
                    let meanDy = Float(coupled[c] / (local * count)), xhatWeight = Float(coupled[channels + c] / (local * count))
                    for i in 0..<length {
                        let xhat = (x[offset + i] - Float(mean[c])) * invStd[c]
                        dx[offset + i] = scale * (dy[offset + i] - meanDy - xhat * xhatWeight)
                    }
                }
            }
            return [gradInput, gradWeight, gradBias]
        }
    }
}
