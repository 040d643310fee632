using System.Security.Cryptography;
using System.Text;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// Every file below a folder whose extension is in the list. Symlinked folders are followed once each
/// (by their real path), so a symlink loop ends the walk there. Unreadable folders are skipped and counted. The records
/// carry no metadata: the probe stage fills it from each file's tags.
/// </summary>
public sealed class FolderCatalog(string root, IReadOnlyCollection<string> extensions) : ITrackCatalog
{
    public static readonly IReadOnlyList<string> DefaultExtensions =
        ["mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac", "wav", "aif", "aiff", "wma", "ape", "wv", "mpc"];

    private readonly HashSet<string> _extensions =
        new(extensions.Select(e => e.TrimStart('.').ToLowerInvariant()), StringComparer.OrdinalIgnoreCase);

    public string Description => $"folder:{root}";

    /// <summary>Folders that could not be listed during the last walk, each with why.</summary>
    public IReadOnlyList<SkippedFolder> SkippedFolders => _skippedFolders;

    private readonly List<SkippedFolder> _skippedFolders = [];

    public IEnumerable<TrackRecord> ReadTracks(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(root)) throw new CatalogException($"Library folder not found: {root} (the job's catalog.folder)");
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(root));
        _skippedFolders.Clear();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            if (!visited.Add(RealPath.Of(folder) ?? folder)) continue;
            List<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().ToList();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                _skippedFolders.Add(new SkippedFolder(folder, NameNotUtf8.Applies(folder)
                    ? NameNotUtf8.Advice("folder")
                    : e is UnauthorizedAccessException ? "permission denied" : $"I/O error: {e.Message}"));
                continue;
            }
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var entry in entries.AsEnumerable().Reverse())
                if (entry is DirectoryInfo && IsFolder(entry)) pending.Push(entry.FullName);
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo || !_extensions.Contains(Path.GetExtension(entry.Name).TrimStart('.'))) continue;
                yield return new TrackRecord(StableId(entry.FullName), entry.FullName, TagsFromFile: true);
            }
        }
    }

    /// <summary>A directory, or a symlink that resolves to one (a broken link is not a folder).</summary>
    private static bool IsFolder(FileSystemInfo entry) =>
        entry.LinkTarget is null || Directory.Exists(entry.FullName);

    /// <summary>A track id derived from the path, so it is the same in every run.</summary>
    public static long StableId(string path)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(path), hash);
        return BitConverter.ToInt64(hash) & long.MaxValue;
    }
}

/// <summary>A folder the walk could not list (its files are not in the run), and why.</summary>
public sealed record SkippedFolder(string Path, string Reason);
