using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>Too few tracks are long enough to train the contrastive encoder on (a library of a track or two, or of short clips).</summary>
public sealed class TooFewTrainingTracksException(string message) : Exception(message);

/// <summary>One epoch's mean NT-Xent loss.</summary>
public sealed record EpochLoss(int Epoch, double Loss);

/// <summary>
/// Self-supervised training with NT-Xent: two augmented windows of the same track are a positive pair, every other
/// window in the batch a negative. Deterministic for a seed: the batch's windows are split into a fixed number of
/// gradient slices (<see cref="GradientSlices"/>).
/// </summary>
public static class ContrastiveTrainer
{
    /// <summary>The sequences long enough for a view; throws <see cref="TooFewTrainingTracksException"/> when fewer than two are.</summary>
    public static IReadOnlyList<Matrix> RequireEnough(IReadOnlyList<Matrix> sequences, ContrastiveSettings settings)
    {
        var usable = sequences.Where(s => s.Rows >= settings.WindowFrames).ToList();
        return usable.Count >= 2 ? usable : throw new TooFewTrainingTracksException(
            $"Training the contrastive encoder needs at least 2 analysed tracks with {settings.WindowFrames} frames " +
            $"({settings.WindowFrames * ContrastiveSettings.FramePooling * FeatureSummary.HopSeconds:0.##} s) of audio; there are {usable.Count}.");
    }

    /// <param name="sequences">each track's pooled log-mel frames in dB (<see cref="LogMelSequence.Pooled"/>)</param>
    /// <param name="workers">threads; changes the speed, never the result</param>
    public static (ContrastiveNetwork Network, IReadOnlyList<EpochLoss> Losses) Train(
        IReadOnlyList<Matrix> sequences, ContrastiveSettings settings, int workers, Action<EpochLoss>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        var usable = RequireEnough(sequences, settings);
        var (mean, std) = LogMelSequence.BandStatistics(usable);
        var network = new ContrastiveNetwork(settings, mean, std);
        var adam = new Adam(network.Parameters, settings.LearningRate);
        var rng = new Rng(settings.Seed ^ 0x5EED);
        var slices = new GradientSlices(network.Encoder, workers, cancellationToken);
        var order = Enumerable.Range(0, usable.Count).ToList();
        var losses = new List<EpochLoss>();

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
                slices.For(views.Length, (encoder, v) => encoder.Forward(views[v], training: true).Row(0).CopyTo(embeddings.Row(v)));
                network.Projection.ZeroGrad();
                var (loss, unitGradient) = NtXentLoss.Compute(network.Projection.Forward(embeddings, training: true), settings.Temperature);
                var embeddingGradient = network.Projection.Backward(unitGradient);
                slices.ZeroGrad();
                slices.For(views.Length, (encoder, v) =>
                {
                    encoder.Forward(views[v], training: true);
                    encoder.Backward(new Matrix(1, settings.Dimension, embeddingGradient.Row(v).ToArray()));
                });
                slices.SumIntoNetwork();
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
