using SSIS.Batch.Jobs;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>The bench commands check <c>--workers</c> as <c>ssis run</c> does: one message and exit 2 before any work.</summary>
public class BenchWorkersTests
{
    [Theory]
    [InlineData("analyze", "0")]
    [InlineData("probe", "-3")]
    [InlineData("fingerprint", "513")]
    [InlineData("contrastive", "0")]
    [InlineData("library", "600")]
    public void Bench_workers_outside_1_to_512_are_refused_before_any_work(string bench, string workers)
    {
        using var folder = new TempFolder();
        AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var cache = folder.File("cache");
        string[] arguments = bench switch
        {
            "contrastive" => ["bench", bench, "--tracks", "4", "--workers", workers],
            // A library bench that started would build its clips here from the tone.
            "library" => ["bench", bench, "--files", "10", "--music", folder.File("lib"), "--cache", cache, "--workers", workers],
            _ => ["bench", bench, folder.File("lib"), "--workers", workers],
        };

        var (exit, output, errors) = SsisProcess.Run(folder.Path, arguments);

        Assert.Equal((int)ExitCode.BadConfig, exit);
        Assert.Equal($"error: option --workers: expected a whole number from 1 to 512, got {workers}.", errors.Trim());
        Assert.Empty(output);
        Assert.False(Directory.Exists(cache));
    }
}
