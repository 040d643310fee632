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
            // The system follows the link, also to a name .NET cannot spell (not UTF-8, read through NameAliases).
            if (OperatingSystem.IsLinux() && Catalog.FileKinds.RegularFileStatus(path) is var (size, modified))
                return new FileStamp(size, modified.Ticks);
            if (info.ResolveLinkTarget(returnFinalTarget: true) is not FileInfo { Exists: true } target) return null;
            info = target;
        }
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}
