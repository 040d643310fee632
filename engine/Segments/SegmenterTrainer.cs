using System.Diagnostics;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Segments;

/// <summary>The training recipe's knobs; the defaults are the shipped model's.</summary>
public sealed record SegmenterRecipe(
    int Mixtures = 360,
    double MixtureSeconds = 60,
    double ValidationShare = 0.1,
    IReadOnlyList<int>? HiddenUnits = null,
    double Dropout = 0.1,
    int Epochs = 15,
    int BatchSize = 128,
    double LearningRate = 1e-3,
    ulong Seed = 20261201,
    double VariedVoiceShare = 0.5,
    bool UnseenSpeakerCheck = false)
{
    public IReadOnlyList<int> Hidden => HiddenUnits ?? [128, 64];
}

/// <summary>Per-epoch training loss and the held-out mixtures' block accuracy.</summary>
public sealed record SegmenterEpoch(int Epoch, double Loss, double ValidationAccuracy);

/// <summary>
/// Trains the frame classifier: seeded random mixtures (<see cref="MixtureBuilder"/>) of the training pool, each block's
/// features labelled with the true label at its centre, softmax cross-entropy (unweighted: weighting the rare classes up
/// taught the model to call doubtful speech noise), Adam on mini-batches in one thread so a seed gives the same bits every run.
/// </summary>
public static class SegmenterTrainer
{
    public static (SegmenterModel Model, IReadOnlyList<SegmenterEpoch> Epochs) Train(SourcePool pool, SegmenterRecipe recipe, TextWriter? log = null)
    {
        var rng = new Rng(recipe.Seed);
        var clock = Stopwatch.StartNew();
        var mixtureSeeds = Enumerable.Range(0, recipe.Mixtures).Select(_ => rng.NextUInt64()).ToList();
        var validationCount = (int)Math.Round(recipe.Mixtures * recipe.ValidationShare);
        // The unseen-speaker check learns speech from espeak-ng alone and holds out mixtures whose speech is the recorded
        // speaker's, so a recipe is judged on a real voice it never heard (the synthetic clips come last in the pool).
        var recorded = pool.Speech.Count - SegmentCorpus.SyntheticSentences;
        var trainPool = recipe.UnseenSpeakerCheck ? pool with { Speech = pool.Speech.Skip(recorded).ToList() } : pool;
        var validationPool = recipe.UnseenSpeakerCheck ? pool with { Speech = pool.Speech.Take(recorded).ToList() } : pool;
        if (recipe.UnseenSpeakerCheck)
            log?.WriteLine($"  unseen-speaker check: {trainPool.Speech.Count} espeak-ng clips for training, {validationPool.Speech.Count} recorded prompts held out");
        var examples = mixtureSeeds.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select((seed, index) =>
        {
            var heldOut = index < validationCount;
            return Labelled(RandomMixture(heldOut ? validationPool : trainPool, new Rng(seed), recipe.MixtureSeconds, heldOut ? 0 : recipe.VariedVoiceShare));
        }).ToList();
        var train = examples.Skip(validationCount).SelectMany(e => e.Blocks.Zip(e.Labels)).ToList();
        var validation = examples.Take(validationCount).SelectMany(e => e.Blocks.Zip(e.Labels)).ToList();
        log?.WriteLine($"  {recipe.Mixtures} mixtures of {recipe.MixtureSeconds:0} s → {train.Count} training blocks, {validation.Count} held out " +
                       $"({clock.Elapsed.TotalSeconds:0} s)");

        var (mean, std) = ColumnStatistics(train.Select(t => t.First).ToList());
        var counts = new double[SegmentLabels.Count];
        foreach (var (_, label) in train) counts[label]++;
        log?.WriteLine("  blocks per class: " + string.Join(", ", SegmentLabels.All.Select(l => $"{l.Name()} {counts[(int)l]}")));
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
                    lossSum -= Math.Log(Math.Max(1e-7, output[r, label]));
                    for (var c = 0; c < SegmentLabels.Count; c++) gradient[r, c] = (output[r, c] - (c == label ? 1f : 0f)) / batch.Length;
                }
                network.Backward(gradient);
                adam.Step();
            }
            losses.Add(lossSum / train.Count);
            epochs.Add(new SegmenterEpoch(epoch, losses[^1], Accuracy(model, validation)));
            log?.WriteLine($"  epoch {epoch,2}: loss {losses[^1]:0.0000}, held-out block accuracy {epochs[^1].ValidationAccuracy:P1} ({clock.Elapsed.TotalSeconds:0} s)");
        }
        foreach (var options in ValidationOptions())
        {
            var score = new FrameScore();
            foreach (var e in examples.Take(validationCount))
                score.Add(e.Truth, new SegmentPostProcessor(options).Segments(model.Probabilities(e.Blocks), e.DurationSeconds), FrameScore.CollarSeconds);
            log?.WriteLine($"  held-out frame accuracy after post-processing (collar {FrameScore.CollarSeconds} s), smoothing {options.SmoothingSeconds} s, " +
                           $"onset {options.SpeechOnset}, offset {options.SpeechOffset}: {score.Accuracy:P2} (speech recall {score.Recall(SegmentLabel.Speech):P1})");
        }
        // The held-out mixtures again, each speech stretch now given a drawn voice and recording chain: how much of the
        // clean figure survives the conditions the variety stands for.
        var varied = new FrameScore();
        foreach (var e in mixtureSeeds.Take(validationCount).AsParallel().AsOrdered().WithDegreeOfParallelism(2)
                     .Select(seed => Labelled(RandomMixture(validationPool, new Rng(seed), recipe.MixtureSeconds, variedVoiceShare: 1))))
            varied.Add(e.Truth, new SegmentPostProcessor(new SegmentOptions()).Segments(model.Probabilities(e.Blocks), e.DurationSeconds), FrameScore.CollarSeconds);
        log?.WriteLine($"  held-out mixtures with varied voices, default post-processing: frame accuracy {varied.Accuracy:P2} " +
                       $"(speech recall {varied.Recall(SegmentLabel.Speech):P1}, noise precision {varied.Precision(SegmentLabel.Noise):P1})");
        return (model, epochs);
    }

    private static (List<float[]> Blocks, int[] Labels, IReadOnlyList<Segment> Truth, double DurationSeconds) Labelled(LabelledAudio audio)
    {
        var blocks = FileSegmenter.BlockFeatures(audio.Samples);
        var labels = blocks.Select((_, b) => (int)audio.LabelAt((b + 0.5) * SegmentFeatures.BlockSeconds)).ToArray();
        return (blocks, labels, audio.Truth, audio.DurationSeconds);
    }

    /// <summary>The defaults and a few neighbours, scored on the held-out mixtures so the post-processing is chosen on training packages.</summary>
    private static IEnumerable<SegmentOptions> ValidationOptions()
    {
        var defaults = new SegmentOptions();
        yield return defaults;
        foreach (var smoothing in (double[])[0.3, 0.5, 1.0])
        foreach (var (onset, offset) in ((double, double)[])[(0.6, 0.4), (0.5, 0.3), (0.7, 0.3)])
            if (smoothing != defaults.SmoothingSeconds || onset != defaults.SpeechOnset || offset != defaults.SpeechOffset)
                yield return defaults with { SmoothingSeconds = smoothing, SpeechOnset = onset, SpeechOffset = offset };
    }

    /// <summary>
    /// One random mixture of about <paramref name="seconds"/>: speech (sentences; single words and short phrases with
    /// pauses; a lone utterance with silence around it), speech over a music bed 6–25 dB below it, music, effects, coloured
    /// noise and silence in random order and lengths; three in ten are then high-passed to the telephone band. A share
    /// <paramref name="variedVoiceShare"/> of the speech stretches gets a drawn <see cref="VoiceVariety"/> (another voice
    /// height, band, room and noise floor); the rest of them are only played 0.85–1.25 times as fast. At 0 (the held-out
    /// mixtures) speech is left as recorded, so recipes are compared on the same audio.
    /// </summary>
    public static LabelledAudio RandomMixture(SourcePool pool, Rng rng, double seconds, double variedVoiceShare)
    {
        var builder = new MixtureBuilder(pool, rng);
        VoiceVariety? Voice() => variedVoiceShare <= 0 ? null
            : rng.NextDouble() < 1 - variedVoiceShare ? VoiceVariety.SpeedOnly(builder.Uniform(0.85, 1.25))
            : VoiceVariety.Draw(rng);
        while (builder.Seconds < seconds)
        {
            var draw = rng.NextDouble();
            _ = draw switch
            {
                < 0.16 => builder.Speech(builder.Uniform(1, 15), voice: Voice()),
                < 0.26 => builder.Speech(builder.Uniform(1, 10), shortUtterances: true, voice: Voice()),
                < 0.34 => builder.Speech(builder.Uniform(0.2, 2), shortUtterances: true, voice: Voice())
                    .Silence(builder.Uniform(0.5, 2.5)),
                < 0.46 => builder.Speech(builder.Uniform(3, 15), musicBed: true, bedBelowDb: builder.Uniform(6, 25), voice: Voice()),
                < 0.66 => builder.Music(builder.Uniform(3, 20)),
                < 0.75 => builder.Noise(builder.Uniform(1, 6)),
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
