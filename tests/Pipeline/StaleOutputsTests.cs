using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

public class StaleOutputsTests
{
    [Fact]
    public void Only_the_engine_s_own_files_this_run_did_not_write_are_removed()
    {
        using var folder = new TempFolder();
        string[] present = ["tracks.parquet", "duplicates.parquet", "duplicates.arrow", "rating_model.json", "recommendations.xspf",
            "run.json", "report.html", "notes.txt", "song.flac", "my-list.xspf"];
        foreach (var name in present) folder.Write(name, [1]);
        var removed = StaleOutputs.Remove(folder.Path, ["tracks.parquet", "run.json"]);
        Assert.Equal(["duplicates.parquet", "duplicates.arrow", "rating_model.json", "recommendations.xspf"], removed);
        Assert.Equal(["my-list.xspf", "notes.txt", "report.html", "run.json", "song.flac", "tracks.parquet"],
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
