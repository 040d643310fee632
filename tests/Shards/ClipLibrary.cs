using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Shards;

/// <summary>
/// A small real library cut at test time (ffmpeg stream copy, no re-encoding): two 7 s clips of each Wesnoth track (the
/// first rated 4 or 5 stars in its Vorbis comments, the second unrated), two of each Planet Blupi track (the first rated
/// 1 star), and byte-identical copies of four clips under other names, so copies fall into other shards.
/// </summary>
public static class ClipLibrary
{
    private static readonly string Cache = Path.Combine(Repo.Root, ".cache", "shard-test-clips");
    private static readonly Lock Building = new();

    /// <summary>A fresh copy of the library in <paramref name="folder"/> (a test may change it), cut once into .cache/shard-test-clips.</summary>
    public static string CopyTo(string folder)
    {
        lock (Building)
        {
            if (!File.Exists(Cache + ".done"))
            {
                if (Directory.Exists(Cache)) Directory.Delete(Cache, recursive: true);
                Build(Cache);
                File.WriteAllText(Cache + ".done", "");
            }
        }
        foreach (var file in Directory.GetFiles(Cache, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(Cache, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return folder;
    }

    private static void Build(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "copies"));
        var sources = Directory.GetFiles(Repo.WesnothMusic, "*.ogg").Order(StringComparer.Ordinal).Select(f => (File: f, Stars: 0))
            .Select((s, i) => s with { Stars = 4 + i % 2 })
            .Concat(Directory.GetFiles(Repo.PlanetBlupiMusic, "*.ogg").Order(StringComparer.Ordinal).Select(f => (File: f, Stars: 1)))
            .ToList();
        var clips = new List<string>();
        foreach (var (source, stars) in sources)
            foreach (var (startSeconds, rated) in new[] { (5, true), (14, false) })
            {
                var clip = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(source)}-{startSeconds}.ogg");
                Tools.Run("ffmpeg", ["-v", "error", "-y", "-ss", startSeconds.ToString(), "-t", "7", "-i", source, "-map", "0:a", "-c", "copy",
                    .. rated ? new[] { "-metadata", $"RATING={stars}" } : [], clip]);
                clips.Add(clip);
            }
        foreach (var (clip, i) in clips.Where((_, i) => i % 25 == 3).Select((c, i) => (c, i)))
            File.Copy(clip, Path.Combine(folder, "copies", $"copy-{i}.ogg"));
    }
}
