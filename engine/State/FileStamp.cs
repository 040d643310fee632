namespace SSIS.Batch.Engine.State;

/// <summary>What identifies one version of a file without opening it: size and modification time (UTC ticks).</summary>
public readonly record struct FileStamp(long SizeBytes, long MtimeTicks)
{
    public DateTime ModifiedUtc => new(MtimeTicks, DateTimeKind.Utc);

    /// <summary>Stats the file (following symlinks); null when it, or a symlink's target, does not exist.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            if (info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target) info = target;
            // A link to a name .NET cannot spell (one that is not UTF-8, read through NameAliases): the system follows it.
            else return Catalog.FileKinds.RegularFileStatus(path) is var (size, modified) ? new FileStamp(size, modified.Ticks) : null;
        }
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}
