using System.Diagnostics;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench contrastive [--tracks N] [--epochs N]</c>: how long contrastive training takes for a library of N
/// tracks. The cost depends only on the shapes, so the tracks are synthetic log-mel sequences of a 30 s crop
/// (1,500 pooled frames × 64 bands); the default network and settings otherwise.
/// </summary>
public static class ContrastiveBench
{
    public static int Run(int tracks, int? epochs, int? workersOption, TextWriter output)
    {
        var workers = workersOption ?? Workers.Default;
        var settings = new ContrastiveSettings() is var d && epochs is { } e ? d with { Epochs = e } : new ContrastiveSettings();
        var rng = new Rng(7);
        var frames = (int)(30 / 0.010) / ContrastiveSettings.FramePooling;
        var sequences = Enumerable.Range(0, tracks).Select(_ =>
        {
            var profile = Enumerable.Range(0, 64).Select(_ => -60 + 30 * rng.NextDouble()).ToArray();
            var m = new Matrix(frames, 64);
            for (var f = 0; f < frames; f++)
                for (var b = 0; b < 64; b++) m[f, b] = (float)(profile[b] + 6 * rng.NextGaussian());
            return m;
        }).ToList();
        output.WriteLine($"training on {tracks} synthetic 30 s crops, {settings.Epochs} epochs, batch {settings.BatchTracks}, {workers} workers");
        var clock = Stopwatch.StartNew();
        var (_, losses) = ContrastiveTrainer.Train(sequences, settings, workers,
            epoch => output.WriteLine($"  epoch {epoch.Epoch}: loss {epoch.Loss:0.000} at {clock.Elapsed.TotalSeconds:0.0} s"));
        var seconds = clock.Elapsed.TotalSeconds;
        var steps = settings.Epochs * (int)Math.Ceiling(tracks / (double)settings.BatchTracks);
        output.WriteLine($"trained in {seconds:0.0} s ({seconds / 60:0.0} min): {steps / seconds:0.0} steps/s, {tracks * settings.Epochs / seconds:0} track-epochs/s; " +
                         $"loss {losses[0].Loss:0.000} → {losses[^1].Loss:0.000}");
        return 0;
    }
}
