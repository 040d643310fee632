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

    private static Sequential Build(int inputs, IReadOnlyList<int> hidden, double dropout, Rng rng)
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

    public static MlpRegressor FromState(MlpState state)
    {
        var network = Build(state.Inputs, state.HiddenUnits, state.Dropout, new Rng(0));
        foreach (var (parameter, values) in network.Parameters.Zip(state.Parameters)) values.CopyTo(parameter.Value, 0);
        return new MlpRegressor(network, state);
    }

    public double Predict(float[] x) => _network.Forward(new Matrix(1, x.Length, x), training: false).Data[0];

    public static MlpRegressor Fit(IReadOnlyList<float[]> x, IReadOnlyList<double> y, RatingOptions options)
    {
        var rng = new Rng(options.Seed);
        var network = Build(x[0].Length, options.HiddenLayers, options.Dropout, rng);
        var order = Enumerable.Range(0, x.Count).ToList();
        rng.Shuffle(order);
        var validationCount = x.Count >= 10 ? Math.Max(2, (int)Math.Round(options.ValidationShare * x.Count)) : 0;
        var validation = order.Take(validationCount).ToList();
        var train = order.Skip(validationCount).ToList();
        var adam = new Adam(network.Parameters, options.LearningRate);
        var best = (Loss: double.PositiveInfinity, Epoch: 0, Values: Snapshot(network));
        for (var epoch = 1; epoch <= options.MaxEpochs; epoch++)
        {
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
            if (loss < best.Loss - 1e-6) best = (loss, epoch, Snapshot(network));
            else if (epoch - best.Epoch >= options.Patience) break;
        }
        foreach (var (parameter, values) in network.Parameters.Zip(best.Values)) values.CopyTo(parameter.Value, 0);
        return new MlpRegressor(network, new MlpState(x[0].Length, options.HiddenLayers, options.Dropout, best.Values, best.Epoch));
    }

    private static List<float[]> Snapshot(Sequential network) => network.Parameters.Select(p => (float[])p.Value.Clone()).ToList();
}
