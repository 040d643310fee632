using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Jobs.Demo;

/// <summary>
/// Builds the demo library from real music of two Debian packages: tagged tracks the listener likes (e.g.
/// wesnoth-1.16-music) and excerpts of tracks they dislike (e.g. planetblupi-music-ogg, whose tracks run 10–29 min). The
/// rule is one the audio reveals — which game the music comes from — so the rating model has something to learn. Beside
/// them: a bit-identical copy and an MP3 transcode of a rated track, a FLAC copy of an unrated one (the lossless copy is
/// canonical), a whole 20-minute track (skipped: over analysis.max_duration_s), a corrupt file, and a Clementine
/// database that also lists a missing file and an unavailable one.
/// </summary>
public static class DemoLibraryBuilder
{
    /// <summary>
    /// One disliked excerpt per source track, this long from this offset (every source runs at least 10 min). One only:
    /// these game tracks loop, so excerpts of one track can be the same audio, which the duplicate detector rightly joins.
    /// </summary>
    private const int ExcerptSeconds = 90;
    private const int ExcerptOffsetSeconds = 60;

    /// <summary>A source over the default analysis.max_duration_s (900 s), kept whole to show a skipped file.</summary>
    private const double LongTrackSeconds = 900;

    public static string Build(string likedMusicFolder, string dislikedMusicFolder, string demoFolder, TextWriter log)
    {
        var liked = Sources(likedMusicFolder);
        var disliked = Sources(dislikedMusicFolder);
        // The catalog stores file:// URLs, which need absolute paths.
        var library = Path.Combine(Path.GetFullPath(demoFolder), "library");
        foreach (var sub in new[] { "Liked", "Disliked", "Copies", "Broken" }) Directory.CreateDirectory(Path.Combine(library, sub));

        var songs = new List<ClementineSong>();
        foreach (var (source, index) in liked.Select((s, i) => (s, i)))
        {
            var target = Path.Combine(library, "Liked", Path.GetFileName(source));
            if (!File.Exists(target)) CopyOnce(source, target);
            songs.Add(Song(target, ReadTags(source)) with { Rating = DemoRating(liked: true, index) });
        }
        var excerpts = disliked.Select(source => (Source: source, Target: Path.Combine(library, "Disliked", $"{Path.GetFileNameWithoutExtension(source)} excerpt.ogg")))
            .ToList();
        Parallel.ForEach(excerpts.Where(e => !File.Exists(e.Target)), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            e => Excerpt(e.Source, e.Target));
        foreach (var ((_, target), index) in excerpts.Select((e, i) => (e, i)))
            songs.Add(Song(target, ReadTags(target)) with
            {
                Title = Path.GetFileNameWithoutExtension(target), Artist = "Planet Blupi", Rating = DemoRating(liked: false, index),
            });

        var original = songs[0];
        var copy = Path.Combine(library, "Copies", Path.GetFileName(original.Path));
        if (!File.Exists(copy)) CopyOnce(original.Path, copy);
        songs.Add(original with { Path = copy, Rating = null, FileSizeBytes = new FileInfo(copy).Length });
        var transcode = Path.Combine(library, "Copies", Path.GetFileNameWithoutExtension(original.Path) + " (128k).mp3");
        if (!File.Exists(transcode))
            AtomicFile.Write(transcode, temp => RunTool("ffmpeg", "-v", "error", "-y", "-i", original.Path, "-codec:a", "libmp3lame", "-b:a", "128k", "-f", "mp3", temp));
        songs.Add(original with { Path = transcode, Rating = null, FileSizeBytes = new FileInfo(transcode).Length });
        var unrated = songs.First(s => s.Rating is null);
        var lossless = Path.Combine(library, "Copies", Path.GetFileNameWithoutExtension(unrated.Path) + ".flac");
        if (!File.Exists(lossless))
            AtomicFile.Write(lossless, temp => RunTool("ffmpeg", "-v", "error", "-y", "-i", unrated.Path, "-codec:a", "flac", "-f", "flac", temp));
        songs.Add(unrated with { Path = lossless, FileSizeBytes = new FileInfo(lossless).Length });

        var longSource = disliked.FirstOrDefault(s => double.Parse(ReadTags(s)["duration"], CultureInfo.InvariantCulture) > LongTrackSeconds)
                         ?? throw new InvalidOperationException($"No track in {dislikedMusicFolder} is longer than {LongTrackSeconds:0} s: the demo needs one " +
                                                                "(its long file is skipped, not failed); give the folder of planetblupi-music-ogg.");
        var longTrack = Path.Combine(library, "Disliked", Path.GetFileNameWithoutExtension(longSource) + " (whole).ogg");
        if (!File.Exists(longTrack)) CopyOnce(longSource, longTrack);
        songs.Add(Song(longTrack, ReadTags(longTrack)) with { Title = Path.GetFileNameWithoutExtension(longTrack), Artist = "Planet Blupi" });

        var corrupt = Path.Combine(library, "Broken", "not really audio.ogg");
        AtomicFile.Write(corrupt, temp => File.WriteAllBytes(temp, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray()));
        songs.Add(new ClementineSong(corrupt, Title: "Corrupt file", FileSizeBytes: 4096));
        songs.Add(new ClementineSong(Path.Combine(library, "Gone", "deleted track.ogg"), Title: "Deleted since the last scan"));
        songs.Add(songs[1] with { Unavailable = true, Title = songs[1].Title + " (unavailable)" });

        var database = Path.Combine(Path.GetFullPath(demoFolder), "clementine.db");
        ClementineDatabaseWriter.Create(database, songs);
        log.WriteLine($"Demo library: {songs.Count} catalog rows ({liked.Count} liked tracks, {excerpts.Count} disliked excerpts) in {database}");
        return database;
    }

    private static List<string> Sources(string folder)
    {
        var sources = Directory.GetFiles(folder, "*.ogg").Order(StringComparer.Ordinal).ToList();
        return sources.Count > 0 ? sources : throw new InvalidOperationException($"No .ogg files in {folder}: run './run.sh setup' to fetch the demo music.");
    }

    /// <summary>Liked tracks 0.8–1.0, disliked ones 0.0–0.2; every fourth track of each unrated (what the model recommends from).</summary>
    private static double? DemoRating(bool liked, int index) =>
        index % 4 == 3 ? null : liked ? 0.8 + 0.1 * (index % 3) : 0.1 * (index % 3);

    /// <summary>An excerpt by stream copy: no re-encoding, so it is the package's own audio.</summary>
    private static void Excerpt(string source, string target) =>
        AtomicFile.Write(target, temp => RunTool("ffmpeg", "-v", "error", "-y", "-ss", ExcerptOffsetSeconds.ToString(CultureInfo.InvariantCulture), "-t",
            ExcerptSeconds.ToString(CultureInfo.InvariantCulture), "-i", source, "-c", "copy", "-f", "ogg", temp));

    /// <summary>A copy made under a temp name and renamed, so an interrupted build leaves no partial file it would keep.</summary>
    private static void CopyOnce(string source, string target) => AtomicFile.Write(target, temp => File.Copy(source, temp, overwrite: true));

    private static ClementineSong Song(string path, Dictionary<string, string> tags) => new(
        path,
        Title: tags.GetValueOrDefault("title"),
        Artist: tags.GetValueOrDefault("artist"),
        Album: tags.GetValueOrDefault("album"),
        Composer: tags.GetValueOrDefault("composer"),
        Year: int.TryParse(tags.GetValueOrDefault("date")?.Split('-')[0], out var year) ? year : -1,
        Genre: tags.GetValueOrDefault("genre"),
        LengthNanoseconds: double.TryParse(tags.GetValueOrDefault("duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? (long)(s * 1e9) : -1,
        FileSizeBytes: new FileInfo(path).Length);

    /// <summary>Stream and format tags (lower-cased keys) and the duration, from one ffprobe call.</summary>
    private static Dictionary<string, string> ReadTags(string path)
    {
        var json = RunTool("ffprobe", "-v", "error", "-show_entries", "stream_tags:format_tags:format=duration", "-of", "json", "--", path);
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var document = JsonDocument.Parse(json);
        void Collect(JsonElement element)
        {
            if (element.TryGetProperty("tags", out var t))
                foreach (var p in t.EnumerateObject()) tags.TryAdd(p.Name.ToLowerInvariant(), p.Value.GetString() ?? "");
        }
        if (document.RootElement.TryGetProperty("streams", out var streams))
            foreach (var stream in streams.EnumerateArray()) Collect(stream);
        if (document.RootElement.TryGetProperty("format", out var format))
        {
            Collect(format);
            if (format.TryGetProperty("duration", out var d)) tags["duration"] = d.GetString() ?? "";
        }
        return tags;
    }

    private static string RunTool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {tool}: install ffmpeg.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} failed: {errors.Result.Trim()}");
        return output.Result;
    }
}
