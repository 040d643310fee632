using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Rating;

/// <summary>The MLP's weights in layer order (each linear layer's weight, then bias) and its shape.</summary>
public sealed record MlpState(int Inputs, IReadOnlyList<int> HiddenUnits, double Dropout, IReadOnlyList<float[]> Parameters, int Epochs);

/// <summary>
/// MLP regressor: (linear → ReLU → dropout) per hidden layer → linear → sigmoid, so predictions stay in [0, 1].
/// MSE loss, Adam, mini-batches of 16; early stopping keeps the weights of the best validation loss.
/// </summary>
public sealed class MlpRegressor
{
    private const int BatchSize = 16;
    private readonly Sequential _network;

    public MlpState State { get; }

    private MlpRegressor(Sequential network, MlpState state) => (_network, State) = (network, state);

    /// <summary>The untrained network: [n × inputs] → [n × 1] in (0, 1).</summary>
    public static Sequential Network(int inputs, IReadOnlyList<int> hidden, double dropout, Rng rng)
    {
        var layers = new List<ILayer>();
        var width = inputs;
        for (var h = 0; h < hidden.Count; h++)
        {
            layers.AddRange([new Linear($"hidden{h}", width, hidden[h], rng), new Relu(), new Dropout(dropout, rng)]);
            width = hidden[h];
        }
        layers.AddRange([new Linear("output", width, 1, rng), new Sigmoid()]);
        return new Sequential(layers);
    }

    /// <summary>The network with a saved state's weights.</summary>
    public static Sequential Network(MlpState state)
    {
        var network = Network(state.Inputs, state.HiddenUnits, state.Dropout, new Rng(0));
        foreach (var (parameter, values) in network.Parameters.Zip(state.Parameters)) values.CopyTo(parameter.Value, 0);
        return network;
    }

    public static MlpRegressor FromState(MlpState state) => new(Network(state), state);

    public double Predict(float[] x) => _network.Forward(new Matrix(1, x.Length, x), training: false).Data[0];

    public static MlpRegressor Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, RatingOptions options, CancellationToken cancellationToken = default)
    {
        var rng = new Rng(options.Seed);
        var network = Network(x[0].Length, options.HiddenLayers, options.Dropout, rng);
        var (train, validation) = EarlyStopping.Split(x.Count, options.ValidationShare, rng);
        var adam = new Adam(network.Parameters, options.LearningRate);
        var stopping = new EarlyStopping(network.Parameters, options.Patience);
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rng.Shuffle(train);
            foreach (var batch in train.Chunk(BatchSize))
            {
                network.ZeroGrad();
                var input = Matrix.FromRows(batch.Select(i => x[i]).ToList());
                var output = network.Forward(input, training: true);
                var gradient = new Matrix(batch.Length, 1, batch.Select((i, r) => (float)(2 * (output.Data[r] - y[i]) / batch.Length)).ToArray());
                network.Backward(gradient);
                adam.Step();
            }
            var monitored = validation.Count > 0 ? validation : train;
            var loss = monitored.Average(i => Math.Pow(network.Forward(new Matrix(1, x[i].Length, x[i]), training: false).Data[0] - y[i], 2));
            if (stopping.Observe(epoch, loss)) break;
        }
        stopping.RestoreBest();
        return new MlpRegressor(network, new MlpState(x[0].Length, options.HiddenLayers, options.Dropout, stopping.BestValues, stopping.BestEpoch));
    }
}
