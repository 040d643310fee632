using System.Text.Json;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Shards;

/// <summary>One catalog entry a shard covered, with the file version it worked on (null size and mtime: no local file to stat).</summary>
public sealed record ShardFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size_bytes")] long? SizeBytes,
    [property: JsonPropertyName("mtime_ticks")] long? MtimeTicks);

/// <summary>
/// What a finished shard covered: written atomically as the shard run's last act (<c>manifest.json</c> in its folder), and
/// removed when a run of the shard starts, so a manifest always describes a shard that finished.
/// </summary>
public sealed record ShardManifest(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("finished_utc")] DateTime FinishedUtc,
    [property: JsonPropertyName("settings")] IReadOnlyDictionary<string, string> Settings,
    [property: JsonPropertyName("files")] IReadOnlyList<ShardFile> Files)
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static ShardManifest Of(ShardSpec spec, string runId, IReadOnlyDictionary<string, string> settings, IEnumerable<ProbedTrack> probed) =>
        new(spec.Index, spec.Count, runId, DateTime.UtcNow, settings,
            probed.Select(t => new ShardFile(t.Track.Path, t.Stamp?.SizeBytes, t.Stamp?.MtimeTicks)).ToList());

    public void Write(string shardFolder) => AtomicFile.WriteAllText(Path.Combine(shardFolder, FileName), JsonSerializer.Serialize(this, Json));

    /// <summary>Removes a finished shard's manifest before the shard is run again (the rerun may be killed half-way).</summary>
    public static void Remove(string shardFolder) => File.Delete(Path.Combine(shardFolder, FileName));

    /// <summary>The manifest in <paramref name="shardFolder"/>, or null when the shard has not finished (none, or unreadable).</summary>
    public static ShardManifest? Read(string shardFolder)
    {
        var path = Path.Combine(shardFolder, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
