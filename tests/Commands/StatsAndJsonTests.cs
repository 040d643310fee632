using System.Text.Json;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Commands;

/// <summary>
/// <c>ssis stats</c> against the files and an independent Parquet reader, and <c>--json</c> on every command that has it:
/// standard output is one JSON document with the command's key fields, messages go to standard error.
/// </summary>
[Collection(TwoAlbumDemoCollection.Name)]
public class StatsAndJsonTests(TwoAlbumDemo demo)
{
    [Fact]
    public void Stats_counts_the_library_as_the_files_and_the_run_say()
    {
        var (exit, output, errors) = SsisProcess.Run(demo.Root, "stats", demo.Output, "--json");
        Assert.Equal((0, ""), (exit, errors));
        using var document = JsonDocument.Parse(output);
        var stats = document.RootElement;
        var run = RunSummary.Read(demo.Output);
        var rows = ParquetCheck.Read(Path.Combine(demo.Output, TracksTable.FileName)).Data;

        Assert.Equal(run.Counts.CatalogEntries, stats.GetProperty("tracks").GetInt32());
        Assert.Equal((run.Counts.Ok, run.Counts.Errors, run.Counts.Skipped, run.Counts.Unavailable),
            (stats.GetProperty("ok").GetInt32(), stats.GetProperty("errors").GetInt32(), stats.GetProperty("skipped").GetInt32(), stats.GetProperty("unavailable").GetInt32()));
        Assert.Equal(run.ErrorsByCode, JsonSerializer.Deserialize<Dictionary<string, int>>(stats.GetProperty("errors_by_code")));
        Assert.Equal(run.SkippedByCode, JsonSerializer.Deserialize<Dictionary<string, int>>(stats.GetProperty("skipped_by_code")));
        Assert.Equal((run.Dedupe!.DuplicateGroups, run.Dedupe.NonCanonical),
            (stats.GetProperty("duplicate_groups").GetInt32(), stats.GetProperty("non_canonical_copies").GetInt32()));
        Assert.Equal(run.Analysis!.Speech, stats.GetProperty("speech_files").GetInt32());
        // Sizes as the file system has them now, of the rows the probe read (not the missing nor the unavailable file); the
        // two albums and the rated rows as the catalog has them.
        var onDisk = rows.Where(r => r.GetProperty("size_bytes").ValueKind == JsonValueKind.Number)
            .Sum(r => new FileInfo(r.GetProperty("path").GetString()!).Length);
        Assert.Equal(onDisk, stats.GetProperty("total_size_bytes").GetInt64());
        Assert.Equal(2, stats.GetProperty("albums").GetInt32());
        Assert.Equal(rows.Count(r => r.GetProperty("rating").ValueKind == JsonValueKind.Number), stats.GetProperty("rated").GetInt32());
        var codecs = JsonSerializer.Deserialize<Dictionary<string, int>>(stats.GetProperty("codecs"))!;
        Assert.Equal(rows.Count(r => r.GetProperty("codec").ValueKind == JsonValueKind.String), codecs.Values.Sum());
        Assert.Equal(["flac", "mp3", "vorbis"], codecs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("vorbis", codecs.Keys.First()); // the most common first
        var hours = stats.GetProperty("total_duration_s").GetDouble() / 3600;
        Assert.InRange(hours, 1, 10);

        var (textExit, text, _) = SsisProcess.Run(demo.Root, "stats", demo.Output);
        Assert.Equal(0, textExit);
        Assert.Contains($"Tracks: {run.Counts.CatalogEntries} ({run.Counts.Ok} ok, {run.Counts.Errors} errors", text);
        Assert.Contains("Errors by code: FILE_CORRUPT 1, FILE_MISSING 1", text);
    }

    [Fact]
    public void Run_prints_its_run_json_on_standard_output_and_its_progress_on_standard_error()
    {
        var (exit, output, errors) = demo.Run;

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(output);
        Assert.Equal(File.ReadAllText(Path.Combine(demo.Output, RunSummary.FileName)).Trim(), output.Trim());
        foreach (var key in new[] { "run_id", "counts", "errors_by_code", "embeddings", "rating", "outputs" })
            Assert.True(document.RootElement.TryGetProperty(key, out _), key);
        Assert.Contains("probe: ", errors);
        Assert.Contains("Writing outputs to", errors);
    }

    [Theory]
    [InlineData("status", "run", "ledger", "errors")]
    [InlineData("recommend", "rating", "recommendations")]
    [InlineData("eval", "model_version", "precision_at5", "chance_level")]
    [InlineData("stats", "tracks", "codecs", "errors_by_code")]
    [InlineData("similar", "seed", "neighbours", "embedding_version")]
    public void Each_command_with_json_prints_one_document_with_its_key_fields(string command, params string[] keys)
    {
        string[] arguments = command switch
        {
            "eval" => ["eval", "embeddings", demo.Output],
            "similar" => ["similar", demo.Output, "music001 excerpt"],
            _ => [command, demo.Output],
        };

        var (exit, output, errors) = SsisProcess.Run(demo.Root, [.. arguments, "--json"]);

        Assert.True(exit == 0, errors);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().First() : document.RootElement;
        foreach (var key in keys) Assert.True(root.TryGetProperty(key, out _), $"{command} --json has no {key}: {output}");
    }
}
