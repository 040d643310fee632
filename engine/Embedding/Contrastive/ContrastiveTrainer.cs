using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>One epoch's mean NT-Xent loss.</summary>
public sealed record EpochLoss(int Epoch, double Loss);

/// <summary>
/// Self-supervised training with NT-Xent: two augmented windows of the same track are a positive pair, every other
/// window in the batch a negative. Deterministic for a seed: the batch's windows are split into a fixed number of
/// gradient slices (whatever the core count), each summed in order.
/// </summary>
public static class ContrastiveTrainer
{
    private const int GradientSlices = 4;

    /// <param name="sequences">each track's pooled log-mel frames in dB (<see cref="LogMelSequence.Pooled"/>)</param>
    /// <param name="workers">threads; changes the speed, never the result</param>
    public static (ContrastiveNetwork Network, IReadOnlyList<EpochLoss> Losses) Train(
        IReadOnlyList<Matrix> sequences, ContrastiveSettings settings, int workers, Action<EpochLoss>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        var usable = sequences.Where(s => s.Rows >= settings.WindowFrames).ToList();
        if (usable.Count < 2)
            throw new ArgumentException($"Contrastive training needs at least 2 tracks with {settings.WindowFrames} frames; got {usable.Count}.");
        var (mean, std) = LogMelSequence.BandStatistics(usable);
        var network = new ContrastiveNetwork(settings, mean, std);
        var adam = new Adam(network.Parameters, settings.LearningRate);
        var rng = new Rng(settings.Seed ^ 0x5EED);
        var slices = Enumerable.Range(0, GradientSlices).Select(_ => (Sequential)network.Encoder.Replica()).ToArray();
        var order = Enumerable.Range(0, usable.Count).ToList();
        var losses = new List<EpochLoss>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken };

        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            rng.Shuffle(order);
            double lossSum = 0;
            var steps = 0;
            foreach (var batch in order.Chunk(settings.BatchTracks))
            {
                if (batch.Length < 2) continue;
                var views = batch.SelectMany(t => new[] { View(usable[t], network, rng), View(usable[t], network, rng) }).ToArray();
                var embeddings = new Matrix(views.Length, settings.Dimension);
                Parallel.For(0, GradientSlices, parallel, s =>
                {
                    for (var v = s; v < views.Length; v += GradientSlices)
                        slices[s].Forward(views[v], training: true).Row(0).CopyTo(embeddings.Row(v));
                });
                network.Projection.ZeroGrad();
                var (loss, unitGradient) = NtXentLoss.Compute(network.Projection.Forward(embeddings, training: true), settings.Temperature);
                var embeddingGradient = network.Projection.Backward(unitGradient);
                Parallel.For(0, GradientSlices, parallel, s =>
                {
                    slices[s].ZeroGrad();
                    for (var v = s; v < views.Length; v += GradientSlices)
                    {
                        slices[s].Forward(views[v], training: true);
                        slices[s].Backward(new Matrix(1, settings.Dimension, embeddingGradient.Row(v).ToArray()));
                    }
                });
                var encoderParameters = network.Encoder.Parameters;
                for (var p = 0; p < encoderParameters.Count; p++)
                {
                    var grad = encoderParameters[p].Grad;
                    Array.Clear(grad);
                    foreach (var slice in slices) Kernels.AddScaled(slice.Parameters[p].Grad, 1f, grad);
                }
                adam.Step();
                lossSum += loss;
                steps++;
            }
            var epochLoss = new EpochLoss(epoch, lossSum / Math.Max(1, steps));
            losses.Add(epochLoss);
            onEpoch?.Invoke(epochLoss);
        }
        return (network, losses);
    }

    /// <summary>A random window of the track with a random gain, band shift and noise.</summary>
    private static Matrix View(Matrix sequence, ContrastiveNetwork network, Rng rng)
    {
        var s = network.Settings;
        var start = rng.Next(sequence.Rows - s.WindowFrames + 1);
        var gain = (2 * rng.NextDouble() - 1) * s.GainDb;
        var shift = rng.Next(2 * s.MaxBandShift + 1) - s.MaxBandShift;
        return LogMelSequence.Window(sequence, start, s.WindowFrames, network.BandMean, network.BandStd, gain, shift, s.NoiseStd, rng);
    }
}
