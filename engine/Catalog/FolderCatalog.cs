using System.Security.Cryptography;
using System.Text;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// Every file below a folder whose extension is in the list. Symlinked folders are followed once each
/// (by their real path), so a symlink loop ends the walk there. Unreadable folders are skipped and counted. Left out:
/// macOS's AppleDouble files ("._song.mp3", the metadata of "song.mp3", never audio) and the folders of thumbnails,
/// trash and file-system bookkeeping (<see cref="IgnoredFolderNames"/>), but not every name starting with a dot, since
/// albums such as "...And Justice for All" do; the <paramref name="excludedFolders"/> (the run's own output and state,
/// when they sit inside the library); and a symlink to a file the walk lists under its own path, so one file is never
/// its own duplicate. Files and folders whose names are not UTF-8 are read through <paramref name="nameAliases"/>' links
/// when given. The records carry no metadata: the probe stage fills it from each file's tags.
/// </summary>
public sealed class FolderCatalog(string root, IReadOnlyCollection<string> extensions, IReadOnlyCollection<string>? excludedFolders = null,
    NameAliases? nameAliases = null)
    : ITrackCatalog
{
    public static readonly IReadOnlyList<string> DefaultExtensions =
        ["mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "aac", "wav", "aif", "aiff", "wma", "ape", "wv", "mpc"];

    /// <summary>Folders of thumbnails, trash or file-system bookkeeping, never music (".Trash-1000" and the like too).</summary>
    public static readonly IReadOnlySet<string> IgnoredFolderNames = new HashSet<string>(
        ["@eaDir", "#recycle", "$RECYCLE.BIN", "System Volume Information", "lost+found", ".Trash", ".Trashes", ".AppleDouble", ".Spotlight-V100",
         ".fseventsd", ".TemporaryItems", ".DocumentRevisions-V100"], StringComparer.OrdinalIgnoreCase);

    private readonly HashSet<string> _extensions =
        new(extensions.Select(e => e.TrimStart('.').ToLowerInvariant()), StringComparer.OrdinalIgnoreCase);

    public string Description => $"folder:{root}";

    /// <summary>The library folder, as the job gives it.</summary>
    public string Root => root;

    /// <summary>The same library, leaving out <paramref name="folders"/> (and what is below them) wherever they are.</summary>
    public FolderCatalog Excluding(params string[] folders) => new(root, extensions, folders, nameAliases);

    /// <summary>The same library, reading names that are not UTF-8 through links in <paramref name="aliasFolder"/>.</summary>
    public FolderCatalog WithNameAliases(string aliasFolder) => new(root, extensions, excludedFolders, new NameAliases(aliasFolder));

    /// <summary>Folders that could not be listed during the last walk, each with why.</summary>
    public IReadOnlyList<SkippedFolder> SkippedFolders => _skippedFolders;

    private readonly List<SkippedFolder> _skippedFolders = [];

    public IEnumerable<TrackRecord> ReadTracks(CancellationToken cancellationToken = default)
    {
        if (File.Exists(root)) throw new CatalogException($"The library folder {root} (the job's catalog.folder) is a file: give the folder that holds the music.");
        if (!Directory.Exists(root)) throw new CatalogException($"Library folder not found: {root} (the job's catalog.folder)");
        var realRoot = RealPath.Of(root) ?? Path.GetFullPath(root);
        var excluded = (excludedFolders ?? []).Select(f => RealPath.Of(f)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(root));
        _skippedFolders.Clear();
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            var realFolder = RealPath.Of(folder) ?? folder;
            // Visited by the real path's bytes: its text spells two folders whose names are not UTF-8 alike.
            if (excluded.Contains(realFolder) || !visited.Add(RealPath.KeyOf(folder))) continue;
            List<FileSystemInfo> entries;
            var aliases = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                entries = Listing(folder, out var unreadableNames, out var listedByFileSystem).Where(e => !Ignored(e.Name, e is DirectoryInfo)).ToList();
                if (nameAliases is not null && unreadableNames)
                    foreach (var alias in nameAliases.Of(folder))
                    {
                        // The listing holds one entry under this name for each such name, and one more for a file
                        // really named with U+FFFD: only the first are replaced by their links.
                        if (!listedByFileSystem && entries.FirstOrDefault(e => e.Name == alias.ListedName) is { } listed) entries.Remove(listed);
                        var isFolder = Directory.Exists(alias.Path);
                        if (Ignored(alias.ListedName, isFolder)) continue;
                        entries.Add(isFolder ? new DirectoryInfo(alias.Path) : new FileInfo(alias.Path));
                        // A link the run made is no user's symlink, unless the entry it stands for is one.
                        if (!alias.EntryIsLink) aliases.Add(alias.Path);
                    }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                var reason = NameNotUtf8.Applies(folder) ? NameNotUtf8.Advice("folder")
                    : e is UnauthorizedAccessException ? "permission denied" : $"I/O error: {e.Message}";
                // A library that cannot be listed at all is an error, not an empty library whose outputs would replace the last run's.
                if (folder == Path.GetFullPath(root)) throw new CatalogException($"The library folder {root} (the job's catalog.folder) cannot be listed: {reason}");
                _skippedFolders.Add(new SkippedFolder(folder, reason));
                continue;
            }
            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var entry in entries.AsEnumerable().Reverse())
                if (entry is DirectoryInfo && IsFolder(entry)) pending.Push(entry.FullName);
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo || !_extensions.Contains(Path.GetExtension(entry.Name).TrimStart('.'))) continue;
                if (entry.LinkTarget is not null && !aliases.Contains(entry.FullName) && ListedUnderItsOwnPath(entry.FullName, realRoot, excluded)) continue;
                yield return new TrackRecord(StableId(entry.FullName), entry.FullName, TagsFromFile: true);
            }
        }
    }

    /// <summary>
    /// A folder's entries as .NET lists them; where .NET cannot list it because of a name that is not UTF-8 (it spells each
    /// such byte in three, so a long Latin-1 name passes the 255-byte limit), the entries with UTF-8 names as the file
    /// system lists them, the others left to the name links. <paramref name="unreadableNames"/>: whether names that are
    /// not UTF-8 may be among them; <paramref name="listedByFileSystem"/>: whether the file system's listing was used
    /// (it holds no entry for such names).
    /// </summary>
    private List<FileSystemInfo> Listing(string folder, out bool unreadableNames, out bool listedByFileSystem)
    {
        try
        {
            var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos().ToList();
            unreadableNames = entries.Any(e => e.Name.Contains('\uFFFD'));
            listedByFileSystem = false;
            return entries;
        }
        catch (PathTooLongException) when (nameAliases is not null && NameAliases.Utf8NamesIn(folder) is { } names)
        {
            unreadableNames = listedByFileSystem = true;
            return names.Select(name => Path.Combine(folder, name))
                .Select(path => Directory.Exists(path) ? (FileSystemInfo)new DirectoryInfo(path) : new FileInfo(path)).ToList();
        }
    }

    private static bool Ignored(string name, bool isFolder) =>
        isFolder ? IgnoredFolderNames.Contains(name) || name.StartsWith(".Trash-", StringComparison.Ordinal) : name.StartsWith("._", StringComparison.Ordinal);

    /// <summary>
    /// Whether the file a symlink resolves to is one the walk lists itself: inside the library, with a listed extension,
    /// on no hidden, ignored or excluded path.
    /// </summary>
    private bool ListedUnderItsOwnPath(string link, string realRoot, IReadOnlySet<string> excluded)
    {
        if (RealPath.Of(link) is not { } target || !target.StartsWith(realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return false;
        if (!_extensions.Contains(Path.GetExtension(target).TrimStart('.'))) return false;
        var parts = Path.GetRelativePath(realRoot, target).Split(Path.DirectorySeparatorChar);
        var folder = realRoot;
        for (var i = 0; i < parts.Length; i++)
        {
            if (Ignored(parts[i], isFolder: i < parts.Length - 1)) return false;
            folder = Path.Combine(folder, parts[i]);
            if (excluded.Contains(folder)) return false;
        }
        return true;
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
