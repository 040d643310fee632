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
            if (info.ResolveLinkTarget(returnFinalTarget: true) is not FileInfo { Exists: true } target) return null;
            info = target;
        }
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
    }
}
