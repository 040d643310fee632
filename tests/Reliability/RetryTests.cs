using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Reliability;

public class RetryTests
{
    [Fact]
    public void Transient_errors_are_retried_with_exponential_backoff_and_lasting_ones_are_not()
    {
        var policy = new RetryPolicy(Attempts: 4, FirstDelaySeconds: 0.5, Multiplier: 2);
        var waits = new List<TimeSpan>();
        var calls = 0;
        var (result, attempts) = policy.Run(() => ++calls < 3 ? ErrorCode.IoError : (ErrorCode?)null,
            code => code is { } c ? new FileError(c, "x") : null, waits.Add);
        Assert.Equal((null, 3), (result, attempts));
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.0)], waits);

        waits.Clear();
        Assert.Equal(4, policy.Run(() => ErrorCode.DecodeTimeout, c => new FileError(c, "x"), waits.Add).Attempts);
        Assert.Equal([0.5, 1.0, 2.0], waits.Select(w => w.TotalSeconds));
        Assert.Equal(1, policy.Run(() => ErrorCode.FileCorrupt, c => new FileError(c, "x"), _ => throw new InvalidOperationException("no wait")).Attempts);
    }

    [Fact]
    public async Task A_file_failing_every_attempt_becomes_a_dead_letter_and_leaves_the_list_once_it_succeeds()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "slow.flac"), "flac", 4.0);
        AudioFactory.Tone(Path.Combine(library, "fine.ogg"), "ogg", 5.0);
        JobOptions Options(double timeoutSeconds) => new(new FolderCatalog(library, FolderCatalog.DefaultExtensions), folder.File("out"),
            folder.File("state"), 1, GroupingMode.Strict, 2.0,
            Analysis: new Engine.Analysis.AnalysisOptions(Crop: new CropSpec(TimeoutSeconds: timeoutSeconds)),
            Retries: new RetryPolicy(Attempts: 3, FirstDelaySeconds: 0.05, Multiplier: 2));

        // A zero deadline makes every decode time out: a real DECODE_TIMEOUT, on every attempt.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failing = await new JobRunner(Options(0), new RecordingProgress()).RunAsync();
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2 * (0.05 + 0.1)), "the backoff waits were skipped");
        Assert.Equal(2, failing.DeadLetters);
        var letters = StateStore.ReadDeadLetters(folder.File("state"));
        Assert.All(letters, l => Assert.Equal(("DECODE_TIMEOUT", "analysis", 3), (l.ErrorCode, l.Stage, l.Attempts)));
        var row = ParquetCheck.Read(Path.Combine(folder.File("out"), TracksTable.FileName)).Data.First();
        Assert.Equal("DECODE_TIMEOUT", row.GetProperty("error_code").GetString());

        var healthy = await new JobRunner(Options(60), new RecordingProgress()).RunAsync();
        Assert.Equal((2, 0), (healthy.Counts.Ok, healthy.DeadLetters));
        Assert.Empty(StateStore.ReadDeadLetters(folder.File("state")));
    }

    [Fact]
    public async Task Retry_failed_probes_again_a_file_whose_failure_was_cached()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=500:duration=4", "-c:a", "wmav2", Path.Combine(library, "old.wma"));
        JobOptions Options(string ffprobe, bool retryFailed) => new(new FolderCatalog(library, FolderCatalog.DefaultExtensions), folder.File("out"),
            folder.File("state"), 1, GroupingMode.Strict, 2.0, FfprobePath: ffprobe, RetryFailed: retryFailed);

        // A broken ffprobe (the user's install, say) cannot read the WMA: a lasting error, cached with the file's version.
        var broken = await new JobRunner(Options("/bin/false", false), new RecordingProgress()).RunAsync();
        Assert.Equal(1, broken.ErrorsByCode["FILE_CORRUPT"]);
        var cached = await new JobRunner(Options("ffprobe", false), new RecordingProgress()).RunAsync();
        Assert.Equal((0, 1), (cached.Counts.Ok, cached.Counts.FromCache));

        var retried = await new JobRunner(Options("ffprobe", true), new RecordingProgress()).RunAsync();
        Assert.Equal((1, 1, 0), (retried.Counts.Ok, retried.Counts.ProbedNow, retried.Counts.Errors));
        Assert.Equal(1, retried.Analysis!.DecodedByFfmpeg); // libsndfile cannot open WMA: the ffmpeg pipe decodes it
    }
}
