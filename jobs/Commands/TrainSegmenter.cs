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

    public static int Run(string outPath, string cacheRoot, int? mixtures, int? epochs, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var recipe = new SegmenterRecipe();
        recipe = recipe with { Mixtures = mixtures ?? recipe.Mixtures, Epochs = epochs ?? recipe.Epochs };
        output.WriteLine($"train segmenter: {recipe.Mixtures} mixtures, {recipe.Epochs} epochs, seed {recipe.Seed}, sources under {cacheRoot}");
        var pool = SegmentCorpus.Training(cacheRoot, log: output);
        output.WriteLine($"  decoded {pool.Speech.Count} speech, {pool.Music.Count} music, {pool.Effects.Count} effect clips ({clock.Elapsed.TotalSeconds:0} s)");
        var (model, _) = SegmenterTrainer.Train(pool, recipe, output);
        var version = model.Save(outPath);
        output.WriteLine($"  wrote {outPath} ({new FileInfo(outPath).Length / 1024.0:0.0} KB), version {version}, in {clock.Elapsed.TotalMinutes:0.0} min");
        return 0;
    }
}
