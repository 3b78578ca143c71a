import EngineTensor

/// A layer that draws random numbers while training (dropout masks), through generators it owns.
/// Each such layer conforms where it is defined, so `fit` reseeds it per epoch without a list to join.
package protocol StochasticLayer: AnyObject {
    /// The generators the layer draws from.
    var randomGenerators: [RandomGenerator] { get }
}
