using System.Diagnostics;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>The training recipe's knobs; the defaults are the shipped model's.</summary>
public sealed record SegmenterRecipe(
    int Mixtures = 240,
    double MixtureSeconds = 60,
    double ValidationShare = 0.1,
    IReadOnlyList<int>? HiddenUnits = null,
    double Dropout = 0.1,
    int Epochs = 12,
    int BatchSize = 128,
    double LearningRate = 1e-3,
    ulong Seed = 20261201)
{
    public IReadOnlyList<int> Hidden => HiddenUnits ?? [64, 32];
}

/// <summary>Per-epoch training loss and the held-out mixtures' block accuracy.</summary>
public sealed record SegmenterEpoch(int Epoch, double Loss, double ValidationAccuracy);

/// <summary>
/// Trains the frame classifier: seeded random mixtures (<see cref="MixtureBuilder"/>) of the training pool, each block's
/// features labelled with the true label at its centre, class-weighted softmax cross-entropy so rare classes count as
/// much as common ones, Adam on mini-batches in one thread so a seed gives the same bits every run.
/// </summary>
public static class SegmenterTrainer
{
    public static (SegmenterModel Model, IReadOnlyList<SegmenterEpoch> Epochs) Train(SourcePool pool, SegmenterRecipe recipe, TextWriter? log = null)
    {
        var rng = new Rng(recipe.Seed);
        var clock = Stopwatch.StartNew();
        var mixtures = Enumerable.Range(0, recipe.Mixtures).Select(_ => rng.Fork()).ToList();
        var examples = mixtures.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(mixtureRng =>
        {
            var audio = RandomMixture(pool, mixtureRng, recipe.MixtureSeconds);
            var blocks = FileSegmenter.BlockFeatures(audio.Samples);
            var labels = blocks.Select((_, b) => (int)audio.LabelAt((b + 0.5) * SegmentFeatures.BlockSeconds)).ToArray();
            return (Blocks: blocks, Labels: labels);
        }).ToList();
        var validationCount = (int)Math.Round(recipe.Mixtures * recipe.ValidationShare);
        var train = examples.Skip(validationCount).SelectMany(e => e.Blocks.Zip(e.Labels)).ToList();
        var validation = examples.Take(validationCount).SelectMany(e => e.Blocks.Zip(e.Labels)).ToList();
        log?.WriteLine($"  {recipe.Mixtures} mixtures of {recipe.MixtureSeconds:0} s → {train.Count} training blocks, {validation.Count} held out " +
                       $"({clock.Elapsed.TotalSeconds:0} s)");

        var (mean, std) = ColumnStatistics(train.Select(t => t.First).ToList());
        var counts = new double[SegmentLabels.Count];
        foreach (var (_, label) in train) counts[label]++;
        log?.WriteLine("  blocks per class: " + string.Join(", ", SegmentLabels.All.Select(l => $"{l.Name()} {counts[(int)l]}")));
        var weights = counts.Select(c => c > 0 ? train.Count / (SegmentLabels.Count * c) : 0).ToArray();

        var losses = new List<double>();
        var epochs = new List<SegmenterEpoch>();
        var settings = new SegmenterSettings(SegmentFeatures.FeatureCount, recipe.Hidden, recipe.Dropout, recipe.Seed, recipe.Epochs, train.Count, losses);
        var model = new SegmenterModel(settings, mean, std, rng);
        var network = model.Network;
        var adam = new Adam(network.Parameters, recipe.LearningRate);
        var order = Enumerable.Range(0, train.Count).ToList();
        for (var epoch = 1; epoch <= recipe.Epochs; epoch++)
        {
            rng.Shuffle(order);
            var lossSum = 0.0;
            foreach (var batch in order.Chunk(recipe.BatchSize))
            {
                network.ZeroGrad();
                var output = network.Forward(Matrix.FromRows(batch.Select(i => train[i].First).ToList()), training: true);
                Softmax.InPlace(output);
                var gradient = new Matrix(batch.Length, SegmentLabels.Count);
                for (var r = 0; r < batch.Length; r++)
                {
                    var label = train[batch[r]].Second;
                    var weight = (float)(weights[label] / batch.Length);
                    lossSum -= weights[label] * Math.Log(Math.Max(1e-7, output[r, label]));
                    for (var c = 0; c < SegmentLabels.Count; c++) gradient[r, c] = weight * (output[r, c] - (c == label ? 1f : 0f));
                }
                network.Backward(gradient);
                adam.Step();
            }
            losses.Add(lossSum / train.Count);
            epochs.Add(new SegmenterEpoch(epoch, losses[^1], Accuracy(model, validation)));
            log?.WriteLine($"  epoch {epoch,2}: loss {losses[^1]:0.0000}, held-out block accuracy {epochs[^1].ValidationAccuracy:P1} ({clock.Elapsed.TotalSeconds:0} s)");
        }
        return (model, epochs);
    }

    /// <summary>
    /// One random mixture of about <paramref name="seconds"/>: speech (sentences, or single words and short phrases with
    /// pauses), speech over a music bed, music, effects, coloured noise and silence in random order and lengths; three in
    /// ten are then high-passed to the telephone band.
    /// </summary>
    public static LabelledAudio RandomMixture(SourcePool pool, Rng rng, double seconds)
    {
        var builder = new MixtureBuilder(pool, rng);
        while (builder.Seconds < seconds)
        {
            var draw = rng.NextDouble();
            _ = draw switch
            {
                < 0.18 => builder.Speech(builder.Uniform(1, 15)),
                < 0.28 => builder.Speech(builder.Uniform(1, 10), shortUtterances: true),
                < 0.40 => builder.Speech(builder.Uniform(3, 15), musicBed: true),
                < 0.64 => builder.Music(builder.Uniform(3, 20)),
                < 0.74 => builder.Noise(builder.Uniform(1, 6)),
                < 0.80 => builder.Noise(builder.Uniform(1, 6), effects: false),
                _ => builder.Silence(builder.Uniform(0.3, 4)),
            };
        }
        if (rng.NextDouble() < 0.3) builder.TelephoneBand();
        return builder.Build();
    }

    private static double Accuracy(SegmenterModel model, List<(float[] First, int Second)> examples)
    {
        if (examples.Count == 0) return double.NaN;
        var right = 0;
        foreach (var chunk in examples.Chunk(1024))
        {
            var p = model.Probabilities(chunk.Select(e => e.First).ToList());
            for (var r = 0; r < chunk.Length; r++)
            {
                var best = 0;
                for (var c = 1; c < SegmentLabels.Count; c++) if (p[r, c] > p[r, best]) best = c;
                if (best == chunk[r].Second) right++;
            }
        }
        return right / (double)examples.Count;
    }

    private static (float[] Mean, float[] Std) ColumnStatistics(List<float[]> rows)
    {
        var columns = rows[0].Length;
        var mean = new double[columns];
        var square = new double[columns];
        foreach (var row in rows)
            for (var c = 0; c < columns; c++)
            {
                mean[c] += row[c];
                square[c] += row[c] * (double)row[c];
            }
        return (mean.Select(m => (float)(m / rows.Count)).ToArray(),
            square.Select((s, c) => (float)Math.Sqrt(Math.Max(0, s / rows.Count - Math.Pow(mean[c] / rows.Count, 2)))).ToArray());
    }
}
