using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Pipeline;

public class AnalysisJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Corrupt_short_and_undecodable_files_get_typed_errors_long_ones_are_skipped_yet_grouped_and_the_rest_is_analysed()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "good.ogg"), "ogg", 8.0);
        AudioFactory.Tone(Path.Combine(library, "short.flac"), "flac", 0.5);
        AudioFactory.Tone(Path.Combine(library, "it's \"quoted\" été 音楽\nline.opus"), "opus", 3.0);
        Tools.Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=8000:duration=1200", "-c:a", "pcm_u8",
            Path.Combine(library, "twenty minutes.wav"));
        File.Copy(Path.Combine(library, "twenty minutes.wav"), Path.Combine(library, "twenty minutes (copy).wav"));
        var whole = File.ReadAllBytes(AudioFactory.Tone(folder.File("source.flac"), "flac", 20.0));
        folder.Write("library/truncated.flac", whole[..(whole.Length / 3)]);
        foreach (var format in new[] { "cbr.mp3", "ogg" })
        {
            var encoded = File.ReadAllBytes(AudioFactory.Tone(folder.File($"source.{format}"), format, 20.0));
            folder.Write($"library/truncated.{format}", encoded[..(encoded.Length / 3)]);
        }
        // A valid header, then garbage where the audio should be: the probe reads it, the decoder cannot.
        var header = File.ReadAllBytes(AudioFactory.Tone(folder.File("h.mp3"), "cbr.mp3", 20.0));
        var random = new Random(11);
        for (var i = 4096; i < header.Length; i++) header[i] = (byte)random.Next(256);
        folder.Write("library/garbled.mp3", header);
        var options = TestJobs.OverFolder(folder, library, 2, GroupingMode.Strict);

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        var rows = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName)).Data
            .ToDictionary(r => Path.GetFileName(r.GetProperty("path").GetString()!), r => r);
        foreach (var (name, row) in rows)
            output.WriteLine($"{name}: {row.GetProperty("status").GetString()} {row.GetProperty("error_code")} {row.GetProperty("error_message")}");
        Assert.Equal("ok", rows["good.ogg"].GetProperty("status").GetString());
        Assert.Equal("FILE_TOO_SHORT", rows["short.flac"].GetProperty("error_code").GetString());
        foreach (var longFile in new[] { "twenty minutes.wav", "twenty minutes (copy).wav" })
        {
            Assert.Equal("skipped", rows[longFile].GetProperty("status").GetString());
            Assert.Equal("FILE_TOO_LONG", rows[longFile].GetProperty("error_code").GetString());
            Assert.Equal("analysis", rows[longFile].GetProperty("error_stage").GetString());
        }
        Assert.Equal(2, summary.Counts.Skipped);
        Assert.Equal(new Dictionary<string, int> { ["FILE_TOO_LONG"] = 2 }, summary.SkippedByCode);
        Assert.DoesNotContain("FILE_TOO_LONG", summary.ErrorsByCode.Keys);
        // Too long to analyse, so no fingerprint: the bit-identical copy is still found, by its bytes.
        var duplicates = ParquetCheck.Read(Path.Combine(options.OutputFolder, DuplicatesTable.FileName)).Data;
        Assert.Equal(["twenty minutes (copy).wav", "twenty minutes.wav"], duplicates.Select(r => Path.GetFileName(r.GetProperty("path").GetString()!)).Order());
        Assert.Equal("identical_bytes", duplicates.Single(r => !r.GetProperty("is_canonical").GetBoolean()).GetProperty("matched_by").GetString());
        // ssis stats counts the skipped copy as ssis duplicates does (tracks.parquet has no is_canonical for a skipped file).
        var stats = Engine.Report.LibraryStats.Read(options.OutputFolder);
        Assert.Equal((1, 1), (stats.DuplicateGroups, stats.NonCanonicalCopies));
        Assert.Equal("FILE_CORRUPT", rows["truncated.flac"].GetProperty("error_code").GetString());
        Assert.StartsWith("truncated", rows["truncated.flac"].GetProperty("error_message").GetString());
        Assert.Equal("FILE_CORRUPT", rows["garbled.mp3"].GetProperty("error_code").GetString());
        // A truncated MP3 or Ogg is read for what it holds: typed as corrupt (its headers promise more), never a crash.
        Assert.Equal("FILE_CORRUPT", rows["truncated.cbr.mp3"].GetProperty("error_code").GetString());
        Assert.Contains(rows["truncated.ogg"].GetProperty("error_code").GetString(), new[] { "FILE_CORRUPT", null });
        Assert.Equal("ok", rows["it's \"quoted\" été 音楽\nline.opus"].GetProperty("status").GetString());
        var analysed = ParquetCheck.Read(Path.Combine(options.OutputFolder, AnalysisTable.FileName)).Data;
        Assert.Contains(analysed, r => r.GetProperty("path").GetString()!.EndsWith("good.ogg"));
        Assert.True(summary.Counts.Ok >= 2 && summary.Counts.Errors >= 5, $"{summary.Counts}");
    }
}
