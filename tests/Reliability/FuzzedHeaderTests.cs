using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Reliability;

/// <summary>Hundreds of real files with their headers mutated: the run must neither crash nor hang, and type every failure.</summary>
public class FuzzedHeaderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mutated_headers_of_real_audio_never_crash_or_hang_the_run()
    {
        using var folder = new TempFolder();
        var seeds = new List<string>();
        var music = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order().First();
        foreach (var (name, args) in new[] { ("s.mp3", new[] { "-c:a", "libmp3lame" }), ("s.flac", ["-c:a", "flac"]), ("s.opus", ["-c:a", "libopus"]),
                     ("s.m4a", ["-c:a", "aac"]), ("s.wav", ["-c:a", "pcm_s16le"]), ("s.ogg", ["-c:a", "libvorbis"]) })
        {
            Tools.Run("ffmpeg", ["-v", "error", "-i", music, "-t", "6", .. args, folder.File(name)]);
            seeds.Add(folder.File(name));
        }
        var random = new Random(2026);
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        const int mutants = 300;
        for (var i = 0; i < mutants; i++)
        {
            var seed = seeds[i % seeds.Count];
            var bytes = File.ReadAllBytes(seed);
            var headerBytes = Math.Min(bytes.Length, 1024);
            var flips = 1 + random.Next(8);
            for (var f = 0; f < flips; f++) bytes[random.Next(headerBytes)] = (byte)random.Next(256);
            if (i % 7 == 0) bytes = bytes[..random.Next(16, bytes.Length)]; // and sometimes cut short
            File.WriteAllBytes(Path.Combine(library, $"{i:D3}{Path.GetExtension(seed)}"), bytes);
        }
        var options = TestJobs.OverFolder(folder, library, 2, GroupingMode.Duration) with { Analysis = new Engine.Analysis.AnalysisOptions(Crop: new Engine.Audio.CropSpec(TimeoutSeconds: 20)) };

        var run = new JobRunner(options, new RecordingProgress()).RunAsync();
        // A hang never ends; a loaded, shared CI machine can take minutes over 300 files: the bound only tells the two apart.
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(12)));
        Assert.True(finished == run, "the run hung on mutated files");
        var summary = await run;

        Assert.Equal(mutants, summary.Counts.CatalogEntries);
        Assert.Equal(mutants, summary.Counts.Ok + summary.Counts.Errors + summary.Counts.Skipped); // a header mutated to claim hours is skipped, not failed
        var known = Enum.GetValues<ErrorCode>().Select(c => c.Name()).ToHashSet();
        Assert.All(summary.ErrorsByCode.Keys, code => Assert.Contains(code, known));
        Assert.DoesNotContain(ErrorCode.InternalError.Name(), summary.ErrorsByCode.Keys); // every failure foreseen and typed
        output.WriteLine($"{summary.Counts.Ok} processed, {summary.Counts.Errors} typed errors: " +
                         string.Join(", ", summary.ErrorsByCode.Select(e => $"{e.Key} {e.Value}")));
        Assert.True(File.Exists(Path.Combine(options.OutputFolder, TracksTable.FileName)));
    }
}
