using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Reliability;

/// <summary>Ctrl-C during a step that never looks at the token (its results all come from the store) still stops the run.</summary>
public class CancelBetweenStepsTests
{
    /// <summary>Progress that cancels the run when a stage whose name starts with a prefix finishes.</summary>
    private sealed class CancelWhenFinished(string stagePrefix, CancellationTokenSource cancel) : IRunProgress
    {
        public void StageStarted(string stage, int totalItems) { }
        public void Advanced(string stage, int items = 1) { }
        public void StageFinished(string stage)
        {
            if (stage.StartsWith(stagePrefix, StringComparison.Ordinal)) cancel.Cancel();
        }
        public void Message(string text) { }
    }

    [Fact]
    public async Task A_cancel_while_embeddings_come_from_the_store_ends_the_run_before_any_output_is_written()
    {
        using var folder = new TempFolder();
        var library = TestJobs.TwoToneLibrary(folder);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict) with { Rating = new RatingOptions(Enabled: false) };
        await new JobRunner(options, new RecordingProgress()).RunAsync();
        var outputs = Directory.GetFiles(options.OutputFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        // The rerun takes every vector from the store: the embed step finishes without a look at the token.
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new JobRunner(options, new CancelWhenFinished("embed", cancel)).RunAsync(cancel.Token));

        Assert.Equal(outputs, Directory.GetFiles(options.OutputFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc));
        Assert.True(File.Exists(Path.Combine(options.OutputFolder, TracksTable.FileName)));
    }
}
