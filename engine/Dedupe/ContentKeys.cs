using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>
/// Keys that prove two files hold the same audio without a fingerprint: a SHA-256 of the file's bytes (bit-identical
/// copies, whatever their length) and a SHA-256 of the decoded samples (lossless copies of clips too short for
/// Chromaprint). Two files with the same key are the same recording.
/// </summary>
public static class ContentKeys
{
    private const string BytesPrefix = "bytes:";
    private const string DecodedAudioPrefix = "audio:";

    /// <summary>The byte keys of earlier runs, by path, with the file version they were read from (a rerun reads no unchanged file).</summary>
    public const string CacheFileName = "content_keys.json";

    private sealed record CachedKey(long SizeBytes, long MtimeTicks, string Key);

    /// <summary>
    /// The byte key of every candidate that shares its size with another member of its candidate group (only those can be
    /// bit-identical, so the rest are never read), reused from <see cref="CacheFileName"/> in the state folder while the
    /// file's size and mtime are unchanged. Unreadable files get no key: the fingerprint path reports them.
    /// <c>FilesRead</c> counts the files read now (the run's audio files opened).
    /// </summary>
    public static (Dictionary<string, string> Keys, int FilesRead) IdenticalFiles(IEnumerable<CandidateGroup> groups, string stateFolder) =>
        OfFiles(groups.SelectMany(g => g.Members.GroupBy(m => m.Stamp!.Value.SizeBytes).Where(s => s.Count() >= 2).SelectMany(s => s)), stateFolder);

    /// <summary>
    /// The byte key of each of <paramref name="files"/> (a shard's files whose size another catalog file shares), with the
    /// same cache as <see cref="IdenticalFiles"/>; the cache then holds these files' keys.
    /// </summary>
    public static (Dictionary<string, string> Keys, int FilesRead) OfFiles(IEnumerable<ProbedTrack> files, string stateFolder)
    {
        var cachePath = Path.Combine(stateFolder, CacheFileName);
        var cache = ReadCache(stateFolder);
        var members = files.DistinctBy(m => m.Track.Path).ToList();
        var keys = new Dictionary<string, CachedKey>(StringComparer.Ordinal);
        var read = 0;
        foreach (var member in members)
        {
            var stamp = member.Stamp!.Value;
            if (cache.TryGetValue(member.Track.Path, out var cached) && cached.SizeBytes == stamp.SizeBytes && cached.MtimeTicks == stamp.MtimeTicks)
            {
                keys[member.Track.Path] = cached;
                continue;
            }
            try
            {
                read++;
                using var stream = File.OpenRead(member.Track.Path);
                keys[member.Track.Path] = new CachedKey(stamp.SizeBytes, stamp.MtimeTicks, BytesPrefix + Convert.ToHexString(SHA256.HashData(stream)));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        Directory.CreateDirectory(stateFolder);
        WriteCache(cachePath, keys);
        return (keys.ToDictionary(k => k.Key, k => k.Value.Key, StringComparer.Ordinal), read);
    }

    /// <summary>Adds the byte keys cached in <paramref name="fromStateFolders"/> (the shards') to the cache of <paramref name="toStateFolder"/>; theirs win.</summary>
    public static void ImportCaches(IEnumerable<string> fromStateFolders, string toStateFolder)
    {
        var merged = ReadCache(toStateFolder);
        foreach (var folder in fromStateFolders)
            foreach (var (path, key) in ReadCache(folder))
                merged[path] = key;
        Directory.CreateDirectory(toStateFolder);
        WriteCache(Path.Combine(toStateFolder, CacheFileName), merged);
    }

    private static Dictionary<string, CachedKey> ReadCache(string stateFolder)
    {
        var cachePath = Path.Combine(stateFolder, CacheFileName);
        return File.Exists(cachePath) ? Read(cachePath) : new Dictionary<string, CachedKey>(StringComparer.Ordinal);
    }

    // Streamed, not through a string: the cache of a 20,000-file library is 3.8 MB of JSON, and serialising it to a
    // string grew a pooled buffer to 16 MB (with its 1–8 MB predecessors) that the shared pool kept for the rest of the run.
    private static Dictionary<string, CachedKey> Read(string cachePath)
    {
        using var file = File.OpenRead(cachePath);
        return JsonSerializer.Deserialize<Dictionary<string, CachedKey>>(file) ?? [];
    }

    private static void WriteCache(string cachePath, Dictionary<string, CachedKey> cache) => AtomicFile.Write(cachePath, temp =>
    {
        using var file = File.Create(temp);
        JsonSerializer.Serialize(file, cache);
    });

    /// <summary>Keeps the byte keys of moved files under their new paths.</summary>
    public static void Relocate(string stateFolder, IReadOnlyList<Relocation> moves)
    {
        var cachePath = Path.Combine(stateFolder, CacheFileName);
        if (!File.Exists(cachePath)) return;
        var cache = Read(cachePath);
        var moved = 0;
        foreach (var move in moves)
            if (cache.Remove(move.OldPath, out var key))
            {
                cache[move.NewPath] = key;
                moved++;
            }
        if (moved > 0) WriteCache(cachePath, cache);
    }

    /// <summary>The decoded-audio key of interleaved samples, quantised to 16 bits so that decoders' float rounding does not split equal PCM.</summary>
    public static string DecodedAudio(ReadOnlySpan<float> interleaved, int channels, int sampleRateHz)
    {
        var quantised = new short[interleaved.Length];
        for (var i = 0; i < interleaved.Length; i++)
            quantised[i] = (short)Math.Clamp(MathF.Round(interleaved[i] * 32767f), short.MinValue, short.MaxValue);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(channels));
        hash.AppendData(BitConverter.GetBytes(sampleRateHz));
        hash.AppendData(MemoryMarshal.AsBytes(quantised.AsSpan()));
        return DecodedAudioPrefix + Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>How a shared key proves the match: identical_bytes or identical_decoded_audio.</summary>
    public static string MatchedBy(string key) => key.StartsWith(BytesPrefix, StringComparison.Ordinal) ? "identical_bytes" : "identical_decoded_audio";
}
