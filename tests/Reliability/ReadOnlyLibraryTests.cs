using System.Security.Cryptography;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Reliability;

/// <summary>A library never changes: no audio file and no Clementine database is written, touched or added to.</summary>
public class ReadOnlyLibraryTests
{
    private static Dictionary<string, (string Sha256, DateTime Modified)> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => (Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));

    [Fact]
    public async Task A_full_run_over_a_read_only_library_leaves_every_file_and_the_database_byte_identical()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        var files = new[] { "a.ogg", "b.flac", "c.cbr.mp3", "d.opus", "e.m4a" }
            .Select((name, i) => AudioFactory.Tone(Path.Combine(library, name), name[(name.IndexOf('.') + 1)..], 6.0 + i, 220 * (i + 1)))
            .ToList();
        File.Copy(files[0], Path.Combine(library, "copy of a.ogg"));
        var database = Path.Combine(library, "clementine.db");
        ClementineDatabaseWriter.Create(database, Directory.GetFiles(library).Where(f => !f.EndsWith(".db"))
            .Select(f => new ClementineSong(f, Rating: 0.6)));
        foreach (var path in Directory.GetFiles(library).Append(library))
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        var before = Snapshot(library);

        var options = new JobOptions(new ClementineCatalog(database), folder.File("out"), folder.File("state"), 2, GroupingMode.Duration, 2.0);
        var first = await new JobRunner(options, new RecordingProgress()).RunAsync();
        await new JobRunner(options, new RecordingProgress()).RunAsync();

        Assert.Equal(6, first.Counts.Ok);
        Assert.Equal(1, first.Dedupe!.DuplicateGroups);
        Assert.Equal(before, Snapshot(library));
    }
}
