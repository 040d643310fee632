using SSIS.Batch.Jobs;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>`ssis run` as a user runs it: exit codes, one clear message, the summary.</summary>
public class CommandLineTests
{
    private static async Task<(int Exit, string Output, string Errors)> Run(string config)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await RunCommand.RunAsync(config, null, output, errors, CancellationToken.None);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task A_bad_config_gives_one_message_naming_the_key_and_exit_2()
    {
        using var folder = new TempFolder();
        var config = folder.File("job.yaml");
        File.WriteAllText(config, "catalog:\n  folder: .\noutput: out\nworkers: lots\n");
        var (exit, output, errors) = await Run(config);
        Assert.Equal((int)ExitCode.BadConfig, exit);
        Assert.Equal($"error: {config}:4:10: key 'workers': expected a whole number from 1 to 512, got 'lots'.", errors.Trim());
        Assert.Empty(output);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public async Task A_bad_catalog_gives_one_message_and_exit_3()
    {
        using var folder = new TempFolder();
        var config = folder.File("job.yaml");
        folder.Write("garbage.db", new byte[4096]);
        File.WriteAllText(config, "catalog:\n  clementine: garbage.db\noutput: out\n");
        var (exit, _, errors) = await Run(config);
        Assert.Equal((int)ExitCode.CatalogUnreadable, exit);
        Assert.StartsWith("error: ", errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task Clementine_rows_naming_one_file_are_one_entry_and_a_warning_not_a_crash()
    {
        using var folder = new TempFolder();
        var image = AudioFactory.Tone(folder.File("lib/album image.flac"), "flac", 4.0);
        // A CUE-sheet album: the rows of its two tracks name one file.
        ClementineDatabaseWriter.Create(folder.File("clementine.db"),
            [new ClementineSong(image, Title: "Track 1", Rating: 0.8), new ClementineSong(image, Title: "Track 2", Rating: 0.2)]);
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  clementine: clementine.db\noutput: out\nembed:\n  encoders: [dsp]\n");
        var (exit, output, _) = await Run(folder.File("job.yaml"));
        Assert.Equal((int)ExitCode.Ok, exit);
        Assert.Contains($"WARNING: 1 catalog entries name a file an earlier entry names (as CUE-sheet tracks share their album's file): " +
                        $"each file is analysed once, with its first entry's metadata and rating; the others are left out ({image}: 2 entries)", output);
        var rows = ParquetCheck.Read(folder.File("out/tracks.parquet")).Data;
        Assert.Equal("Track 1", Assert.Single(rows).GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_good_run_exits_0_and_summarises_errors()
    {
        using var folder = new TempFolder();
        var tone = AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        ClementineDatabaseWriter.Create(folder.File("clementine.db"),
            [new ClementineSong(tone, Rating: 0.8), new ClementineSong(folder.File("lib/missing.ogg"))]);
        var config = folder.File("job.yaml");
        File.WriteAllText(config, "catalog:\n  clementine: clementine.db\noutput: out\n");
        var (exit, output, errors) = await Run(config);
        Assert.Equal((int)ExitCode.Ok, exit);
        Assert.Empty(errors);
        Assert.Contains("ok 1, errors 1", output);
        Assert.Contains("FILE_MISSING: 1", output);
        // One 2 s track cannot train the contrastive network: the run says so and goes on with the other encoders.
        Assert.Contains("No contrastive vectors this run. Training the contrastive encoder needs at least 2 analysed tracks with 128 frames (2.56 s) of audio; there are 0.", output);
        Assert.DoesNotContain("Training the contrastive encoder (", output);
        Assert.True(File.Exists(folder.File("out/tracks.parquet")));

        var status = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(folder.File("out"), json: false, status, TextWriter.Null));
        Assert.Contains("success rate: 50.0 % (1 ok, 1 errors, 0 skipped, 0 unavailable;", status.ToString());
        Assert.Contains("FILE_MISSING", status.ToString());
        Assert.Matches(@"probe\s+error 1, ok 1", status.ToString());
        var json = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(folder.File("out"), json: true, json, TextWriter.Null));
        using var document = System.Text.Json.JsonDocument.Parse(json.ToString());
        Assert.Equal("FILE_MISSING", document.RootElement.GetProperty("ledger").GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public void Status_of_a_folder_with_no_run_says_so()
    {
        var errors = new StringWriter();
        Assert.Equal((int)ExitCode.BadConfig, StatusCommand.Run("/no/such/out", json: false, TextWriter.Null, errors));
        Assert.Contains("no run.json in /no/such/out", errors.ToString());
    }

    [Theory]
    [InlineData(new[] { "run", "job.yaml", "--wrkers", "2" }, "error: Unrecognized command or argument '--wrkers'. (ssis run --help lists what it takes)")]
    [InlineData(new[] { "status", "out", "--jsn" }, "error: Unrecognized command or argument '--jsn'. (ssis status --help lists what it takes)")]
    [InlineData(new[] { "run", "job.yaml", "--workers", "many" }, "error: option --workers: 'many' is not a whole number (ssis run --help lists what it takes)")]
    [InlineData(new[] { "recommend", "out", "--diversity", "high" }, "error: option --diversity: 'high' is not a number (ssis recommend --help lists what it takes)")]
    [InlineData(new[] { "bench", "analyze", ".", "--speech-detector", "bogus" },
        "error: option --speech-detector: 'bogus' is not one of segmenter, silero, heuristic (ssis bench analyze --help lists what it takes)")]
    [InlineData(new[] { "eval", "segments", "--set", "no-such-set" }, "error: option --set: no-such-set holds no truth.json: give --set A, B or a built set's folder")]
    public void A_mistyped_command_line_is_one_error_line_and_exit_2(string[] arguments, string expected)
    {
        using var folder = new TempFolder();
        var (exit, output, errors) = SsisProcess.Run(folder.Path, arguments);
        Assert.Equal(((int)ExitCode.BadConfig, "", expected), (exit, output, errors.Trim()));
    }

    [Theory]
    [InlineData(0, null, null, "error: option --top-n: expected a whole number from 1 to 100000, got 0.")]
    [InlineData(null, -1.0, null, "error: option --min-rating: expected a value from 0 to 1, got -1.")]
    [InlineData(null, null, 1.5, "error: option --diversity: expected a value from 0 to 0.99, got 1.5.")]
    public void Recommend_refuses_an_option_outside_its_key_s_range_before_reading_anything(int? topN, double? minRating, double? diversity, string expected)
    {
        var errors = new StringWriter();
        Assert.Equal((int)ExitCode.BadConfig, RecommendCommand.Run("/no/such/out", new RecommendOverrides(topN, minRating, Diversity: diversity), false, TextWriter.Null, errors));
        Assert.Equal(expected, errors.ToString().Trim());
    }

    [Fact]
    public void Recommend_s_per_artist_0_removes_a_saved_cap_and_a_negative_one_is_refused()
    {
        var saved = new Engine.Rating.RecommendOptions(PerArtistCap: 2);
        Assert.Null(new RecommendOverrides(PerArtistCap: 0).Apply(saved).PerArtistCap);
        Assert.Equal(2, new RecommendOverrides().Apply(saved).PerArtistCap);
        Assert.Equal(3, new RecommendOverrides(PerArtistCap: 3).Apply(saved).PerArtistCap);
        Assert.Equal("option --per-artist: expected a whole number from 0 (no cap) to 100000, got -1", new RecommendOverrides(PerArtistCap: -1).Problem());
    }

    [Fact]
    public void Recommend_of_a_folder_with_no_run_says_so()
    {
        var errors = new StringWriter();
        Assert.Equal((int)ExitCode.BadConfig, RecommendCommand.Run("/no/such/out", new RecommendOverrides(), false, TextWriter.Null, errors));
        Assert.Equal("error: no run.json in /no/such/out: run a job into it first (ssis run CONFIG).", errors.ToString().Trim());
    }

    [Fact]
    public void No_command_writes_a_playlist_over_an_audio_file_or_into_a_folder()
    {
        using var folder = new TempFolder();
        var song = folder.Write("library/song.flac", [0x66, 0x4C, 0x61, 0x43]);
        var errors = new StringWriter();
        Assert.Equal((int)ExitCode.BadConfig, RecommendCommand.Run("/no/such/out", new RecommendOverrides(XspfPath: song), false, TextWriter.Null, errors));
        Assert.Equal((int)ExitCode.BadConfig, SimilarCommand.Run("/no/such/out", "a song", 10, null, song, false, TextWriter.Null, errors));
        Assert.Equal((int)ExitCode.BadConfig, DuplicatesCommand.Run("/no/such/out", false, song, TextWriter.Null, errors));
        Assert.Equal((int)ExitCode.BadConfig, DuplicatesCommand.Run("/no/such/out", false, folder.File("library"), TextWriter.Null, errors));
        Directory.CreateDirectory(folder.File("list.xspf"));
        Assert.Equal((int)ExitCode.BadConfig, RecommendCommand.Run("/no/such/out", new RecommendOverrides(XspfPath: folder.File("list.xspf")), false, TextWriter.Null, errors));
        Assert.Equal([0x66, 0x4C, 0x61, 0x43], File.ReadAllBytes(song));
        Assert.Equal(
            [
                $"error: option --xspf: {song}: a playlist's file name must end in .xspf (so no audio file or table is written over).",
                $"error: option --xspf: {song}: a playlist's file name must end in .xspf (so no audio file or table is written over).",
                $"error: option --m3u: {song}: a playlist's file name must end in .m3u or .m3u8 (so no audio file or table is written over).",
                $"error: option --m3u: {folder.File("library")}: a playlist's file name must end in .m3u or .m3u8 (so no audio file or table is written over).",
                $"error: option --xspf: {folder.File("list.xspf")} is a folder: name the playlist file.",
            ],
            errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void Duplicates_of_a_folder_with_no_run_says_so_and_writes_no_playlist()
    {
        using var folder = new TempFolder();
        var errors = new StringWriter();
        Assert.Equal((int)ExitCode.BadConfig, DuplicatesCommand.Run(folder.File("out"), false, folder.File("copies.m3u"), TextWriter.Null, errors));
        Assert.Contains("no duplicates.parquet in", errors.ToString());
        Assert.False(File.Exists(folder.File("copies.m3u")));
    }

    [Fact]
    public void An_unreadable_file_is_permission_denied_when_ssis_runs_as_an_ordinary_user()
    {
        using var folder = new TempFolder();
        var tone = AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var locked = AudioFactory.Tone(folder.File("lib/locked.ogg"), "ogg", 2.0);
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  folder: lib\noutput: out\nworkers: 1\n");
        OtherUser.Open(folder, folder.File("out"), folder.File("lib"));
        File.SetUnixFileMode(tone, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(locked, UnixFileMode.None);

        var (exit, output, errors) = OtherUser.Run(folder, "run", "job.yaml");
        Assert.True(exit == 0, errors);

        Assert.Contains("ok 1, errors 1", output);
        Assert.Contains("PERMISSION_DENIED: 1", output);
    }

    /// <summary>SQLite cannot open a WAL database read-only where it cannot make the database's -shm index: exit 3, saying what to do.</summary>
    [Fact]
    public void A_wal_database_in_a_folder_the_user_cannot_write_is_exit_3_with_what_to_do()
    {
        using var folder = new TempFolder();
        var tone = AudioFactory.Tone(folder.File("lib/tone.ogg"), "ogg", 2.0);
        var database = folder.File("clementine/clementine.db");
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        ClementineDatabaseWriter.Create(database, [new ClementineSong(tone, Rating: 0.8)]);
        Assert.Equal("wal", Tools.Run("sqlite3", database, "PRAGMA journal_mode=WAL;").Trim());
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  clementine: clementine/clementine.db\noutput: out\n");
        OtherUser.Open(folder, folder.File("out"), folder.File("lib"), folder.File("clementine"));
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var before = File.ReadAllBytes(database);

        var (exit, _, errors) = OtherUser.Run(folder, "run", "job.yaml");

        Assert.Equal((int)ExitCode.CatalogUnreadable, exit);
        Assert.Contains($"error: Clementine database {database} cannot be read without writing beside it", errors);
        Assert.Contains("Open and close Clementine once, or copy the database to a folder you can write and name the copy", errors);
        Assert.Equal(before, File.ReadAllBytes(database));
    }
}
