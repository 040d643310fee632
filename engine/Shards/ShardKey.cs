using System.Text;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Shards;

/// <summary>
/// Which shard a catalog entry belongs to: a stable 64-bit FNV-1a hash of the file's size and file name (not its
/// folder), modulo the shard count. Size and name come from a stat, never from reading the audio, so every shard
/// computes the same split from the catalog alone; a file moved to another folder keeps its shard; and the size spreads
/// libraries whose files share names (<c>01.mp3</c> in every album folder). FNV-1a, not <c>string.GetHashCode</c>,
/// because .NET randomises that per process.
/// </summary>
public static class ShardKey
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The shard of an entry whose file has <paramref name="stamp"/> (null: missing or not a local file, keyed by its name alone).</summary>
    public static int ShardOf(TrackRecord track, FileStamp? stamp, int count) => (int)(Hash(track.Path, stamp?.SizeBytes) % (ulong)count);

    public static ulong Hash(string path, long? sizeBytes)
    {
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes($"{sizeBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}\0{Path.GetFileName(path)}"))
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }

    /// <summary>The file's stamp from a stat, or null when it cannot be had (missing, not a local file, no permission): the probe reports those.</summary>
    public static FileStamp? StampOf(TrackRecord track)
    {
        if (track.Unavailable || track.UnreadableLocation is not null) return null;
        try
        {
            return FileStamp.Of(track.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
