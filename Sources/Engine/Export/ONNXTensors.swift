import Foundation
import EngineTensor

/// Conversion of serscript tensors to ONNX `TensorProto`s and value descriptions.
enum ONNXTensors {
    /// A float32 tensor, stored as little-endian raw bytes.
    static func float(_ values: [Float], shape: [Int], name: String) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var bytes = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        tensor.rawData = bytes
        return tensor
    }

    /// An int64 tensor (shapes, axes, indices).
    static func int64(_ values: [Int], shape: [Int], name: String) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = shape.map(Int64.init)
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.int64Data = values.map(Int64.init)
        return tensor
    }

    /// A float32 graph input or output; `nil` dimensions are named symbolically (`symbol`).
    static func valueInfo(_ name: String, shape: [Int?], symbol: String = "N") -> Onnx_ValueInfoProto {
        var info = Onnx_ValueInfoProto()
        info.name = name
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var tensorShape = Onnx_TensorShapeProto()
        tensorShape.dim = shape.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let size { dimension.dimValue = Int64(size) } else { dimension.dimParam = symbol }
            return dimension
        }
        tensorType.shape = tensorShape
        info.type.tensorType = tensorType
        return info
    }
}
