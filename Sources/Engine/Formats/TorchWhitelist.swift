/// The only globals a `torch.save` state dict needs, and what each builds. Anything else in a pickle
/// (a model class, `builtins.eval`, `os.system`, …) is refused by name before it could be used.
enum TorchWhitelist {
    private static let rebuildTensor = "torch._utils._rebuild_tensor_v2"
    private static let rebuildParameter = "torch._utils._rebuild_parameter"
    private static let rebuildParameterWithState = "torch._utils._rebuild_parameter_with_state"
    private static let orderedDict = "collections.OrderedDict"

    static func hooks(storages: TorchStorages, path: String) -> UnpicklerHooks {
        func fail(_ reason: String) -> TorchFileError { TorchFileError(path: path, reason: reason) }
        return UnpicklerHooks(
            global: { module, name in
                let full = "\(module).\(name)"
                let allowed = [rebuildTensor, rebuildParameter, rebuildParameterWithState, orderedDict].contains(full)
                    || (module == "torch" && TorchStorages.widths[name] != nil)
                guard allowed else {
                    throw fail("refuses global \(full): a state dict holds only tensors, containers and numbers "
                               + "(a pickled model object or code is never run; save model.state_dict() instead)")
                }
                return .global(module: module, name: name)
            },
            call: { callable, arguments in
                guard case .global(let module, let name) = callable else {
                    throw fail("refuses to call a \(callable.kind)")
                }
                switch "\(module).\(name)" {
                case orderedDict:
                    guard arguments.isEmpty else { throw fail("OrderedDict with arguments is not a state dict") }
                    return .dict(PickleDict())
                case rebuildTensor:
                    return .opaque(TorchTensor(try view(arguments, path: path)))
                case rebuildParameter, rebuildParameterWithState:
                    guard case .opaque(let tensor)? = arguments.first, tensor is TorchTensor else {
                        throw fail("parameter rebuild without a tensor")
                    }
                    return .opaque(tensor)
                default:
                    throw fail("refuses to call \(module).\(name)")
                }
            },
            persistent: { id in
                // ('storage', torch.<Type>Storage, key, location, numel)
                guard case .tuple(let fields) = id, fields.count == 5, case .string("storage") = fields[0],
                      case .global(module: "torch", name: let type) = fields[1], case .string(let key) = fields[2],
                      case .int(let count) = fields[4] else {
                    throw fail("persistent id \(id.kind) is not a torch storage reference")
                }
                return .opaque(try storages.storage(key: key, type: type, count: count))
            },
            build: { object, _ in
                // OrderedDict state (the state dict's `_metadata` versions) carries no weights.
                guard case .dict = object else { throw fail("refuses to set the state of a \(object.kind)") }
            })
    }

    /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`: the
    /// elements the view selects, row-major, after checking that every one lies in the storage.
    private static func view(_ arguments: [PickleValue], path: String) throws -> StoredTensor {
        func fail(_ reason: String) -> TorchFileError { TorchFileError(path: path, reason: reason) }
        guard arguments.count >= 4, case .opaque(let object) = arguments[0], let storage = object as? TorchStorage,
              case .int(let offset) = arguments[1], let size = ints(arguments[2]), let stride = ints(arguments[3]) else {
            throw fail("tensor rebuild with malformed arguments")
        }
        let name = "tensor on storage \(storage.key)"
        guard size.count == stride.count, size.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }), offset >= 0 else {
            throw fail("\(name) has size \(size), stride \(stride), offset \(offset): not a valid view")
        }
        var count = 1
        for dimension in size {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= 1 << 31 else { throw fail("\(name) of size \(size) is too large") }
            count = product
        }
        guard count > 0 else { return StoredTensor(shape: size, values: []) }
        var last = offset
        for (dimension, step) in zip(size, stride) {
            let (reach, overflow) = (dimension - 1).multipliedReportingOverflow(by: step)
            guard !overflow, reach <= storage.values.count else { throw fail("\(name) reaches past its storage") }
            last += reach
        }
        guard last < storage.values.count else {
            throw fail("\(name): size \(size), stride \(stride), offset \(offset) reach element \(last) "
                       + "of a storage of \(storage.values.count)")
        }
        var values = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: size.count)
        var source = offset
        for flat in 0..<count {
            values[flat] = storage.values[source]
            // Odometer over the dimensions, innermost fastest.
            var axis = size.count - 1
            while axis >= 0 {
                index[axis] += 1
                // Wrapping arithmetic: a dimension of size 1 may carry any stride, which is never used.
                source &+= stride[axis]
                if index[axis] < size[axis] { break }
                source &-= stride[axis] &* size[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return StoredTensor(shape: size, values: values)
    }

    private static func ints(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        let values = items.compactMap { item -> Int? in if case .int(let v) = item { return v } else { return nil } }
        return values.count == items.count ? values : nil
    }
}
