using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

public class StaleOutputsTests
{
    [Fact]
    public void Only_the_engine_s_files_the_last_run_listed_and_this_one_did_not_write_are_removed()
    {
        using var folder = new TempFolder();
        string[] present = ["tracks.parquet", "duplicates.parquet", "duplicates.arrow", "rating_model.json", "recommendations.xspf",
            "predictions.arrow", "run.json", "report.html", "notes.txt", "song.flac", "my-list.xspf"];
        foreach (var name in present) folder.Write(name, [1]);
        var started = DateTime.UtcNow.AddMinutes(1);
        // predictions.arrow is not in the last run's list (a notebook's own file of that name): it stays.
        string[] earlier = ["tracks.parquet", "duplicates.parquet", "duplicates.arrow", "rating_model.json", "Recommendations.xspf",
            "recommendations.xspf", "run.json", "notes.txt"];
        var removed = StaleOutputs.Remove(folder.Path, earlier, ["tracks.parquet", "RUN.json", "Recommendations.xspf"], started);
        Assert.Equal(["duplicates.parquet", "duplicates.arrow", "rating_model.json"], removed);
        Assert.Equal(["my-list.xspf", "notes.txt", "predictions.arrow", "recommendations.xspf", "report.html", "run.json", "song.flac", "tracks.parquet"],
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_file_written_since_the_run_started_is_never_removed()
    {
        using var folder = new TempFolder();
        folder.Write("duplicates.parquet", [1]);
        Assert.Empty(StaleOutputs.Remove(folder.Path, ["duplicates.parquet"], [], DateTime.UtcNow.AddMinutes(-1)));
        Assert.True(File.Exists(folder.File("duplicates.parquet")));
    }

    /// <summary>Feature packs aside: one file per track in their own folder, which the feature-pack sweep keeps in step.</summary>
    [Fact]
    public void Every_table_the_engine_declares_is_one_a_rerun_may_remove()
    {
        var declared = typeof(TracksTable).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(f => f.FieldType == typeof(TableSchema))
            .Select(f => ((TableSchema)f.GetValue(null)!).Name)
            .Concat(typeof(TracksTable).Assembly.GetTypes()
                .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
                .Where(p => p.PropertyType == typeof(TableSchema))
                .Select(p => ((TableSchema)p.GetValue(null)!).Name));
        Assert.Equal(declared.Distinct().Where(name => name != Engine.FeaturePacks.FeaturePackLayout.Schema.Name).Order(StringComparer.Ordinal),
            StaleOutputs.Tables.Select(t => t.Name).Order(StringComparer.Ordinal));
    }
}
