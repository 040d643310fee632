using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SSIS.Batch.Jobs.Demo;

/// <summary>
/// Builds the demo library from real tagged music (e.g. Debian's wesnoth-1.16-music): the tracks themselves, a
/// bit-identical copy and an MP3 transcode of one (duplicate candidates), a corrupt file, and a Clementine database
/// that also lists a missing file and an unavailable one. Ratings follow the composer, so later stages have a signal.
/// </summary>
public static class DemoLibraryBuilder
{
    public static string Build(string musicFolder, string demoFolder, TextWriter log)
    {
        var sources = Directory.GetFiles(musicFolder, "*.ogg").Order(StringComparer.Ordinal).ToList();
        if (sources.Count == 0) throw new InvalidOperationException($"No .ogg files in {musicFolder}: run './run.sh setup' to fetch the demo music.");
        var library = Path.Combine(demoFolder, "library");
        Directory.CreateDirectory(Path.Combine(library, "Wesnoth OST"));
        Directory.CreateDirectory(Path.Combine(library, "Copies"));
        Directory.CreateDirectory(Path.Combine(library, "Broken"));

        var songs = new List<ClementineSong>();
        var composers = new List<string>();
        foreach (var source in sources)
        {
            var target = Path.Combine(library, "Wesnoth OST", Path.GetFileName(source));
            if (!File.Exists(target)) File.Copy(source, target);
            var tags = ReadTags(source);
            var composer = tags.GetValueOrDefault("composer");
            if (composer is not null && !composers.Contains(composer)) composers.Add(composer);
            songs.Add(Song(target, tags));
        }
        composers.Sort(StringComparer.Ordinal);
        songs = songs.Select((s, i) => s with { Rating = DemoRating(s.Composer, composers, i) }).ToList();

        var original = songs[0];
        var copy = Path.Combine(library, "Copies", Path.GetFileName(original.Path));
        if (!File.Exists(copy)) File.Copy(original.Path, copy);
        songs.Add(original with { Path = copy, Rating = null, FileSizeBytes = new FileInfo(copy).Length });
        var transcode = Path.Combine(library, "Copies", Path.GetFileNameWithoutExtension(original.Path) + " (128k).mp3");
        if (!File.Exists(transcode)) Transcode(original.Path, transcode);
        songs.Add(original with { Path = transcode, Rating = null, FileSizeBytes = new FileInfo(transcode).Length });

        var corrupt = Path.Combine(library, "Broken", "not really audio.ogg");
        File.WriteAllBytes(corrupt, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251)).ToArray());
        songs.Add(new ClementineSong(corrupt, Title: "Corrupt file", FileSizeBytes: 4096));
        songs.Add(new ClementineSong(Path.Combine(library, "Gone", "deleted track.ogg"), Title: "Deleted since the last scan"));
        songs.Add(songs[1] with { Unavailable = true, Title = songs[1].Title + " (unavailable)" });

        var database = Path.Combine(demoFolder, "clementine.db");
        ClementineDatabaseWriter.Create(database, songs);
        log.WriteLine($"Demo library: {songs.Count} catalog rows ({sources.Count} tracks, {composers.Count} composers) in {database}");
        return database;
    }

    /// <summary>Composers in the first half of the sorted list are liked (0.8–1.0), the rest not (0.2–0.4); every fourth track unrated.</summary>
    private static double? DemoRating(string? composer, List<string> composers, int index)
    {
        if (index % 4 == 3 || composer is null) return null;
        var liked = composers.IndexOf(composer) < composers.Count / 2;
        return liked ? 0.8 + 0.1 * (index % 3) : 0.2 + 0.1 * (index % 3);
    }

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

    private static void Transcode(string source, string target) =>
        RunTool("ffmpeg", "-v", "error", "-y", "-i", source, "-codec:a", "libmp3lame", "-b:a", "128k", target);

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
