using System.Text.Json;
using System.Text.RegularExpressions;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Commands;

public class StatusCommandTests
{
    [Fact]
    public async Task After_a_rerun_status_lists_every_error_in_the_outputs_cached_or_new_and_no_untimed_slowest_file()
    {
        using var folder = new TempFolder();
        var library = TestJobs.TwoToneLibrary(folder);
        File.WriteAllBytes(Path.Combine(library, "bad.ogg"), Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict);
        await new JobRunner(options, new RecordingProgress()).RunAsync();
        // The rerun finds a new failure beside the cached one, and every other result in the cache.
        AudioFactory.Tone(Path.Combine(library, "short.wav"), "s16.wav", 0.2);
        var rerun = await new JobRunner(options, new RecordingProgress()).RunAsync();
        Assert.Equal(2, rerun.ErrorsByCode.Count);

        var text = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(options.OutputFolder, false, text, TextWriter.Null));
        var json = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(options.OutputFolder, true, json, TextWriter.Null));

        using var document = JsonDocument.Parse(json.ToString());
        var errors = document.RootElement.GetProperty("errors").EnumerateArray().Where(e => !e.GetProperty("is_skip").GetBoolean())
            .ToDictionary(e => e.GetProperty("code").GetString()!, e => (Files: e.GetProperty("files").GetInt32(), ThisRun: e.GetProperty("files_this_run").GetInt32()));
        Assert.Equal(rerun.ErrorsByCode, errors.ToDictionary(e => e.Key, e => e.Value.Files));
        Assert.Equal((1, 0), errors["FILE_CORRUPT"]);
        Assert.Single(errors, e => e.Value.ThisRun == 1);
        Assert.Equal(["FILE_CORRUPT", "FILE_TOO_SHORT"], rerun.ErrorsByCode.Keys.Order());
        Assert.Matches(@"FILE_CORRUPT\s+1 \(probe, cached\)  e\.g\. /", text.ToString());
        // A limit's refusal is decided again on every run, so neither new nor cached says what it is.
        Assert.Matches(@"FILE_TOO_SHORT\s+1 \(analysis, by the job's limits\)  e\.g\. /", text.ToString());
        Assert.Contains("bad.ogg", text.ToString());
        Assert.DoesNotMatch(@"\s0 ms", text.ToString());
        Assert.Contains("rating model: none (", text.ToString());
    }

    [Fact]
    public async Task A_run_served_from_the_cache_says_no_file_was_timed()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.ogg"), "ogg", 4.0);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict);
        await new JobRunner(options, new RecordingProgress()).RunAsync();
        await new JobRunner(options, new RecordingProgress()).RunAsync();

        var text = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(options.OutputFolder, false, text, TextWriter.Null));

        Assert.Contains("slowest files: none timed in this run (every result came from the cache)", text.ToString());
        Assert.DoesNotMatch(new Regex(@"^\s+0 ms", RegexOptions.Multiline), text.ToString());
    }
}

[Collection(TwoAlbumDemoCollection.Name)]
public class StatusOfTheDemoTests(TwoAlbumDemo demo)
{
    [Fact]
    public void Status_shows_the_rating_models_scores_and_the_playlist()
    {
        var (exit, output, errors) = SsisProcess.Run(demo.Root, "status", demo.Output);

        Assert.Equal((0, ""), (exit, errors));
        var run = Engine.Output.RunSummary.Read(demo.Output);
        Assert.Contains($"rating model: {run.Rating!.Regressor} on {run.Rating.EmbeddingVersion}, trained on {run.Rating.Rated} rated tracks; " +
                        $"cross-validated {run.Rating.CrossValidated.Describe()}", output);
        Assert.Contains($"playlist: {run.Rating.Xspf} ({run.Rating.Recommended} tracks)", output);
    }
}
