using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using SSIS.Batch.Engine.Catalog;

namespace SSIS.Batch.Engine.Probe;

/// <summary>
/// A file's identity from its content, so it survives moves and renames: a hash of its size, its first 16 KiB (which
/// the probe reads anyway) and its last 16 KiB. A folder catalog's <c>track_id</c> is this id. Editing the file (its
/// tags too) makes it a new version with a new id, as it changes its size or mtime for the caches.
/// </summary>
public static class ContentIds
{
    public const int TailBytes = 16 * 1024;

    /// <summary>The id of an open file of <paramref name="lengthBytes"/> whose first bytes are <paramref name="head"/>.</summary>
    public static long Of(SafeFileHandle file, long lengthBytes, ReadOnlySpan<byte> head)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(lengthBytes));
        hash.AppendData(head);
        var tailStart = Math.Max(head.Length, lengthBytes - TailBytes);
        if (tailStart < lengthBytes)
        {
            var tail = new byte[lengthBytes - tailStart];
            var read = RandomAccess.Read(file, tail, tailStart);
            hash.AppendData(tail.AsSpan(0, read));
        }
        return ToId(hash.GetHashAndReset());
    }

    /// <summary>
    /// Track ids made unique: byte-identical copies share a content id, so the n-th copy (n ≥ 2, by file name, then by
    /// path) takes a hash of the content id and n instead. File names first, so moving or renaming folders (the whole
    /// library, or one copy's folder) keeps each copy's id unless copies share a file name (then the path decides); renaming a
    /// copy's file may swap it with another copy's.
    /// </summary>
    public static IReadOnlyList<ProbedTrack> Unique(IReadOnlyList<ProbedTrack> tracks)
    {
        var copiesSeen = new Dictionary<long, int>();
        var unique = new ProbedTrack[tracks.Count];
        foreach (var i in Enumerable.Range(0, tracks.Count)
                     .OrderBy(i => Path.GetFileName(tracks[i].Track.Path), StringComparer.Ordinal).ThenBy(i => tracks[i].Track.Path, StringComparer.Ordinal))
        {
            var track = tracks[i];
            var id = track.Track.TrackId;
            var copy = copiesSeen[id] = copiesSeen.GetValueOrDefault(id) + 1;
            unique[i] = copy == 1 ? track : track with { Track = track.Track with { TrackId = FolderCatalog.StableId($"{id}:copy {copy}") } };
        }
        return unique;
    }

    private static long ToId(ReadOnlySpan<byte> digest) => BitConverter.ToInt64(digest) & long.MaxValue;
}
