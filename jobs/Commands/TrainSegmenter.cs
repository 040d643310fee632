using System.Diagnostics;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis train segmenter</c>: rebuilds the shipped segmenter weights from the training packages (fixed seeds, so the
/// same data gives the same file) and prints the held-out block accuracy per epoch.
/// </summary>
public static class TrainSegmenter
{
    public static readonly string DefaultOut = Path.Combine("engine", "Segments", SegmenterModel.FileName);

    /// <param name="unseenSpeakerCheck">learn speech from espeak-ng only and hold out the recorded speaker's: scores a recipe on a real voice it never heard; writes weights only to an explicit <paramref name="outPath"/></param>
    public static int Run(string outPath, string cacheRoot, int? mixtures, int? epochs, bool unseenSpeakerCheck, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var recipe = new SegmenterRecipe();
        recipe = recipe with { Mixtures = mixtures ?? recipe.Mixtures, Epochs = epochs ?? recipe.Epochs, UnseenSpeakerCheck = unseenSpeakerCheck };
        output.WriteLine($"train segmenter: {recipe.Mixtures} mixtures, {recipe.Epochs} epochs, seed {recipe.Seed}, sources under {cacheRoot}");
        var pool = SegmentCorpus.Training(cacheRoot, log: output);
        output.WriteLine($"  decoded {pool.Speech.Count} speech, {pool.Music.Count} music, {pool.Effects.Count} effect clips ({clock.Elapsed.TotalSeconds:0} s)");
        var (model, _) = SegmenterTrainer.Train(pool, recipe, output);
        if (unseenSpeakerCheck && outPath == DefaultOut)
        {
            output.WriteLine($"  unseen-speaker check done in {clock.Elapsed.TotalMinutes:0.0} min; the shipped weights are left as they were");
            return 0;
        }
        var version = model.Save(outPath);
        output.WriteLine($"  wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0.0} KB), version {version}, in {clock.Elapsed.TotalMinutes:0.0} min");
        return 0;
    }
}
