using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>A library that moves (a renamed folder, a renamed file) keeps its results and its track ids.</summary>
public class MovedLibraryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Moving_the_library_folder_opens_no_audio_file_and_keeps_the_track_ids(bool defaultEncoders)
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(Path.Combine(library, "album"));
        AudioFactory.Tone(Path.Combine(library, "album", "a.ogg"), "ogg", 6.0, 440);
        AudioFactory.Tone(Path.Combine(library, "album", "b.flac"), "flac", 7.0, 660);
        AudioFactory.Tone(Path.Combine(library, "c.mp3"), "cbr.mp3", 8.0, 880);
        File.Copy(Path.Combine(library, "album", "b.flac"), Path.Combine(library, "b copy.flac"));
        // The default encoders add the contrastive network and the log-mel excerpt it reads, both of which must move too.
        JobOptions Job(string root) => defaultEncoders
            ? TestJobs.OverFolder(folder, root, 1, GroupingMode.Duration) with { Embed = new EmbedOptions(), Rating = new RatingOptions() }
            : TestJobs.OverFolder(folder, root, 1, GroupingMode.Duration);
        var first = await new JobRunner(Job(library), new RecordingProgress()).RunAsync();
        Assert.Equal(4, first.Counts.Ok);
        var before = TrackIds(folder.File("out"), library);

        var moved = folder.File("moved library");
        Directory.Move(library, moved);
        File.Move(Path.Combine(moved, "c.mp3"), Path.Combine(moved, "album", "c renamed.mp3"));
        var second = await new JobRunner(Job(moved), new RecordingProgress()).RunAsync();

        Assert.Equal((4, 4, 0), (second.Counts.Relocated, second.Counts.FromCache, second.Counts.ProbedNow));
        var status = new StringWriter();
        Assert.Equal(0, SSIS.Batch.Jobs.Commands.StatusCommand.Run(folder.File("out"), false, status, TextWriter.Null));
        Assert.Contains("relocated    4 moved or renamed file(s) kept their results, without being opened", status.ToString());
        Assert.Equal((0L, 0L, 0L), (second.Counters.AudioFilesOpened, second.Counters.FfprobeProcesses, second.Counters.FfmpegDecoderProcesses));
        Assert.Equal((0, 4), (second.Analysis!.Analysed, second.Analysis.FromCache));
        Assert.Equal(first.Embeddings.Select(e => (e.ModelVersion, 4)), second.Embeddings.Select(e => (e.ModelVersion, e.FromStore)));
        Assert.Equal(defaultEncoders ? 3 : 1, second.Embeddings.Count);
        var after = TrackIds(folder.File("out"), moved);
        Assert.Equal(before["album/a.ogg"], after["album/a.ogg"]);
        Assert.Equal(before["album/b.flac"], after["album/b.flac"]);
        Assert.Equal(before["b copy.flac"], after["b copy.flac"]);
        Assert.Equal(before["c.mp3"], after["album/c renamed.mp3"]);
        Assert.Equal(4, after.Values.Distinct().Count()); // the byte-identical copy has an id of its own
    }

    [Fact]
    public void Gone_and_new_paths_pair_by_version_and_by_name_when_versions_repeat()
    {
        var v1 = new FileStamp(1000, 1);
        var v2 = new FileStamp(2000, 2);
        var known = new Dictionary<string, FileStamp>
        {
            ["/old/x.ogg"] = v1, ["/old/p/same.ogg"] = v2, ["/old/q/same.ogg"] = v2, ["/old/r/twin.ogg"] = v2, ["/kept.ogg"] = v1,
        };
        var now = new Dictionary<string, FileStamp?>
        {
            ["/new/y.ogg"] = v1, ["/new/twin.ogg"] = v2, ["/new/same.ogg"] = v2, ["/new/other.ogg"] = new FileStamp(3000, 3), ["/kept.ogg"] = v1,
        };
        var moves = Relocations.Find(now.Keys.ToList(), known, p => now.GetValueOrDefault(p));
        // x → y (one of each version); twin by its name; "same" is ambiguous (two gone files of that name) and stays new.
        Assert.Equal(
            [new Relocation("/old/r/twin.ogg", "/new/twin.ogg"), new Relocation("/old/x.ogg", "/new/y.ogg")],
            moves.OrderBy(m => m.OldPath, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Files_and_folders_whose_names_are_not_utf8_are_read_through_links_in_the_state_folder()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        AudioFactory.Tone(Path.Combine(library, "utf8 café.ogg"), "ogg", 3.0);
        AudioFactory.Tone(Path.Combine(library, "other.ogg"), "ogg", 4.0, 660);
        // A Latin-1 "é" (0xE9), "è" (0xE8) or "à" (0xE0) is not UTF-8; only a shell can write such a name. .NET lists both
        // files below as "latin1 caf\uFFFD.ogg", a name it cannot open, though they are two files.
        Tools.Run("bash", "-c", $"cd \"{library}\" && cp 'utf8 café.ogg' \"$(printf 'latin1 caf\\351.ogg')\" && cp other.ogg \"$(printf 'latin1 caf\\350.ogg')\" && " +
                                $"mkdir \"$(printf 'd\\351j\\340')\" && cp other.ogg \"$(printf 'd\\351j\\340')/inside.ogg\"");
        // The run's own wiring, as `ssis run` reads a job: the state folder holds the links.
        JobOptions Job(string root) => JobConfig.Parse(folder.File("job.yaml"),
            $"catalog: {{folder: '{root}'}}\noutput: '{folder.File("out")}'\nstate: '{folder.File("state")}'\nanalysis: {{enabled: false}}\n");

        var first = await new JobRunner(Job(library), new RecordingProgress()).RunAsync();

        var rows = ParquetCheck.Read(Path.Combine(folder.File("out"), TracksTable.FileName)).Data
            .ToDictionary(r => Path.GetRelativePath(folder.Path, r.GetProperty("path").GetString()!), r => r.GetProperty("status").GetString());
        var links = Path.Combine("state", NameAliases.StateSubfolder);
        Assert.Equal(["library/other.ogg", "library/utf8 café.ogg", $"{links}/*/d%E9j%E0/inside.ogg", $"{links}/*/latin1 caf%E8.ogg", $"{links}/*/latin1 caf%E9.ogg"],
            rows.Keys.Select(p => p.StartsWith(links, StringComparison.Ordinal) ? $"{links}/*/{string.Join('/', p.Split('/')[3..])}" : p).Order(StringComparer.Ordinal));
        Assert.All(rows.Values, status => Assert.Equal("ok", status));
        Assert.DoesNotContain(first.Warnings, w => w.Contains("could not be listed"));

        // Moved, the library is read from the cache: the links follow the new folder, the results the files.
        Directory.Move(library, folder.File("moved"));
        var second = await new JobRunner(Job(folder.File("moved")), new RecordingProgress()).RunAsync();
        Assert.Equal((5, 0L), (second.Counts.Ok, second.Counters.AudioFilesOpened));
    }

    [Fact]
    public void Byte_identical_copies_keep_their_ids_when_a_copy_s_folder_is_renamed()
    {
        static ProbedTrack Copy(string path) => new(new TrackRecord(42, path), null, null, TrackStatus.Ok, null, false, DateTime.UnixEpoch, 0);
        IReadOnlyDictionary<string, long> Ids(params string[] paths) =>
            ContentIds.Unique(paths.Select(Copy).ToList()).ToDictionary(t => Path.GetFileName(t.Track.Path), t => t.Track.TrackId);

        var before = Ids("/lib/unrated/underground.ogg", "/lib/dups/underground_copy.ogg");
        // "dups" sorts before "unrated", "zdups" after it: by path alone the two copies would trade ids.
        var after = Ids("/lib/unrated/underground.ogg", "/lib/zdups/underground_copy.ogg");

        Assert.NotEqual(before["underground.ogg"], before["underground_copy.ogg"]);
        Assert.Equal(before, after);
        Assert.Equal(42, after["underground.ogg"]); // the first by file name keeps the content id itself
    }

    private static Dictionary<string, long> TrackIds(string output, string library) =>
        ParquetCheck.Read(Path.Combine(output, TracksTable.FileName)).Data.ToDictionary(
            r => Path.GetRelativePath(library, r.GetProperty("path").GetString()!), r => r.GetProperty("track_id").GetInt64());
}
