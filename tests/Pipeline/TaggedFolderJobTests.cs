using System.Globalization;
using System.Xml.Linq;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>
/// A folder job over real music transcoded by ffmpeg, its ratings only in the files' tags, as a user with a tagged
/// library but no player database has it: Wesnoth liked, Planet Blupi disliked, as POPM in MP3 (ID3v2.3 written by
/// <see cref="Id3Writer"/>) and FMPS_RATING in Ogg and FLAC; every fourth track of each left unrated.
/// </summary>
[Collection(SerialCollection.Name)]
public class TaggedFolderJobTests(ITestOutputHelper log)
{
    private const int WesnothTracks = 14;
    private const double ExcerptSeconds = 45;

    [Fact]
    public async Task Tags_give_a_folder_scan_its_titles_artists_and_ratings_and_the_ratings_train_a_model_and_a_playlist()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        var wesnoth = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Take(WesnothTracks).ToList();
        var blupi = Directory.GetFiles(Repo.PlanetBlupiMusic, "*.ogg").Order(StringComparer.Ordinal).ToList();

        // Each output path with the rating its tag should read as (null: unrated) and the title ffprobe reads back.
        var expected = new System.Collections.Concurrent.ConcurrentDictionary<string, float?>(StringComparer.Ordinal);
        var jobs = wesnoth.Select((source, i) => (source, i, like: true)).Concat(blupi.Select((source, i) => (source, i, like: false)));
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, job =>
        {
            var (source, i, like) = job;
            var rated = i % 4 != 3;
            var name = $"{(like ? "wesnoth" : "blupi")}-{i:00}-{Path.GetFileNameWithoutExtension(source)}";
            // Planet Blupi's Oggs carry no tags: the test names them as a tagging tool would.
            string[] names = like ? ["-map_metadata", "0:s:a:0"] : ["-metadata", $"title=Blupi {i}", "-metadata", "artist=Planet Blupi"];
            string[] excerpt = ["-v", "error", "-y", "-ss", like ? "0" : "60", "-t", ExcerptSeconds.ToString(CultureInfo.InvariantCulture), "-i", source];
            switch (i % 3)
            {
                case 0:
                {
                    // MP3: the title and artist ffmpeg would write go into our own ID3v2.3 tag beside the POPM frame.
                    var path = Path.Combine(library, name + ".mp3");
                    Tools.Run("ffmpeg", [.. excerpt, "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "0", path]);
                    var (title, artist) = like ? SourceTitleAndArtist(source) : ($"Blupi {i}", "Planet Blupi");
                    byte? popm = rated ? like ? (byte)(i % 2 == 0 ? 255 : 196) : (byte)(i % 2 == 0 ? 1 : 64) : null;
                    Id3Writer.PrependTag(path, new Dictionary<string, string> { ["TIT2"] = title, ["TPE1"] = artist }, popm);
                    expected[path] = popm is { } p ? p switch { 255 => 1.0f, 196 => 0.8f, 64 => 0.4f, _ => 0.2f } : null;
                    break;
                }
                default:
                {
                    var flac = i % 3 == 2;
                    var path = Path.Combine(library, name + (flac ? ".flac" : ".ogg"));
                    var rating = rated ? like ? 0.9f + 0.1f * (i % 2) : 0.2f + 0.1f * (i % 2) : (float?)null;
                    string[] tag = rating is { } r ? ["-metadata", $"FMPS_RATING={r.ToString(CultureInfo.InvariantCulture)}"] : [];
                    Tools.Run("ffmpeg", [.. excerpt, .. names, .. tag, .. (flac ? new[] { "-c:a", "flac" } : ["-c:a", "libvorbis", "-q:a", "3"]), path]);
                    expected[path] = rating;
                    break;
                }
            }
        });
        Assert.True(expected.Count >= 20);
        File.WriteAllText(folder.File("job.yaml"), """
            catalog:
              folder: library
            output: out
            recommend:
              top_n: 5
              min_rating: 0.5
            model:
              min_rated: 10

            """);

        var summary = await new JobRunner(JobConfig.Load(folder.File("job.yaml")), new RecordingProgress()).RunAsync();

        var rows = ParquetCheck.Read(folder.File("out/" + TracksTable.FileName)).Data.ToDictionary(r => r.GetProperty("path").GetString()!);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        static string? Text(System.Text.Json.JsonElement row, string column) => row.GetProperty(column).ValueKind == System.Text.Json.JsonValueKind.String ? row.GetProperty(column).GetString() : null;
        var tagged = expected.Keys.Where(p => FfprobeTitle(p) is not null).ToList();
        var named = tagged.Count(p => Text(rows[p], "title") is not null && Text(rows[p], "artist") is not null);
        log.WriteLine($"title and artist in tracks.parquet for {named} of {tagged.Count} files ffprobe finds a title in");
        Assert.Equal(expected.Count, tagged.Count);
        Assert.True(named >= 0.9 * tagged.Count, $"title and artist for {named} of {tagged.Count} tagged files");
        Assert.Equal("Battle Epic", Text(rows[expected.Keys.Single(p => Path.GetFileName(p).StartsWith("wesnoth-00-", StringComparison.Ordinal))], "title"));
        foreach (var (path, rating) in expected)
        {
            var column = rows[path].GetProperty("rating");
            Assert.Equal(rating, column.ValueKind == System.Text.Json.JsonValueKind.Number ? column.GetSingle() : null);
        }

        var model = summary.Rating ?? throw new Xunit.Sdk.XunitException($"no rating model: {summary.RatingSkipped}");
        log.WriteLine($"rating model over {model.Rated} rated tracks: {model.CrossValidated}");
        Assert.Equal(expected.Values.Count(r => r is not null), model.Rated);
        Assert.True(File.Exists(folder.File("out/" + RatingStep.MetricsFileName)));
        var xspf = XDocument.Load(folder.File("out/" + XspfPlaylist.FileName));
        var playlist = xspf.Descendants(XName.Get("location", XspfPlaylist.Namespace)).Select(l => Engine.Catalog.FileUrl.ToLocalPath(l.Value)).ToList();
        log.WriteLine($"playlist: {string.Join(", ", playlist.Select(Path.GetFileName))}");
        Assert.NotEmpty(playlist);
        Assert.All(playlist, p => Assert.Null(expected[p!])); // only unrated tracks are recommended
    }

    [Fact]
    public async Task A_rerun_takes_the_tags_from_the_probe_cache_and_a_clementine_catalog_keeps_its_own_metadata()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        Directory.CreateDirectory(library);
        var path = Path.Combine(library, "tagged.ogg");
        Tools.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=3", "-metadata", "title=From the tag", "-metadata", "artist=Tagger",
            "-metadata", "FMPS_RATING=0.6", "-c:a", "libvorbis", path);
        var noAnalysis = new Engine.Analysis.AnalysisOptions(Enabled: false);

        var options = TestJobs.OverFolder(folder, library, 1, Engine.Grouping.GroupingMode.Strict) with { Analysis = noAnalysis };
        var first = await new JobRunner(options, new RecordingProgress()).RunAsync();
        var second = await new JobRunner(options, new RecordingProgress()).RunAsync();
        Assert.Equal((1, 0), (first.Counts.ProbedNow, first.Counts.FromCache));
        Assert.Equal((0, 1), (second.Counts.ProbedNow, second.Counts.FromCache));
        var row = ParquetCheck.Read(Path.Combine(options.OutputFolder, TracksTable.FileName)).Data.Single();
        Assert.Equal(("From the tag", "Tagger", 0.6f), (row.GetProperty("title").GetString(), row.GetProperty("artist").GetString(), row.GetProperty("rating").GetSingle()));

        Jobs.Demo.ClementineDatabaseWriter.Create(folder.File("clementine.db"),
            [new Jobs.Demo.ClementineSong(path, Title: "From the catalog", Artist: "Cataloguer", FileSizeBytes: new FileInfo(path).Length)]);
        var clementine = options with { Catalog = new Engine.Catalog.ClementineCatalog(folder.File("clementine.db")), OutputFolder = folder.File("out-clementine") };
        await new JobRunner(clementine, new RecordingProgress()).RunAsync();
        var catalogRow = ParquetCheck.Read(Path.Combine(clementine.OutputFolder, TracksTable.FileName)).Data.Single();
        Assert.Equal("From the catalog", catalogRow.GetProperty("title").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, catalogRow.GetProperty("rating").ValueKind);
    }

    private static (string Title, string Artist) SourceTitleAndArtist(string path)
    {
        var fields = Tools.Run("ffprobe", "-v", "error", "-show_entries", "stream_tags=title,artist", "-of", "default=nw=1:nk=0", "--", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0].Replace("TAG:", "", StringComparison.Ordinal).ToLowerInvariant(), kv => kv[1]);
        return (fields.GetValueOrDefault("title", ""), fields.GetValueOrDefault("artist", ""));
    }

    /// <summary>The title ffprobe (an independent reader) finds in the file's format or stream tags.</summary>
    private static string? FfprobeTitle(string path)
    {
        var title = Tools.Run("ffprobe", "-v", "error", "-show_entries", "format_tags=title:stream_tags=title", "-of", "default=nw=1:nk=1", "--", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(title) ? null : title;
    }
}
