using System.Text;

namespace SSIS.Batch.Engine.Output;

/// <summary>Writes files so a reader sees the old content or the new one, never half of it: temp file in the same folder, then rename.</summary>
public static class AtomicFile
{
    private const string TempSuffix = ".ssis-tmp";

    /// <summary>A temp path beside <paramref name="path"/> (same folder, so the rename stays on one file system).</summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");

    /// <summary>
    /// Deletes temp files a killed run left in <paramref name="folder"/>; returns how many. A temp file whose writer
    /// (the pid in its name) is still running is kept: another job may share this output folder.
    /// </summary>
    public static int RemoveStale(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var stale = Directory.GetFiles(folder, "*" + TempSuffix).Where(f => !WriterIsRunning(f)).ToList();
        foreach (var file in stale) File.Delete(file);
        return stale.Count;
    }

    /// <summary>Whether the process named in a temp file's name (<c>.NAME.PID.GUID.ssis-tmp</c>) is alive.</summary>
    private static bool WriterIsRunning(string tempFile)
    {
        var parts = Path.GetFileName(tempFile).Split('.');
        if (parts.Length < 4 || !int.TryParse(parts[^3], out var pid)) return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Lets <paramref name="write"/> fill a temp file, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        using var replacement = new Replacement(path);
        write(replacement.TempPath);
        replacement.Commit();
    }

    /// <summary>
    /// A temp file that replaces <paramref name="path"/> on <see cref="Commit"/> (flushed, then renamed) and is
    /// deleted if disposed uncommitted: for a writer that fills several files in one pass and commits them together.
    /// </summary>
    public sealed class Replacement : IDisposable
    {
        private readonly string _path;

        public Replacement(string path)
        {
            _path = path;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            TempPath = TempPathFor(path);
        }

        public string TempPath { get; }

        public void Commit()
        {
            using (var handle = File.OpenHandle(TempPath, FileMode.Open, FileAccess.ReadWrite)) RandomAccess.FlushToDisk(handle);
            File.Move(TempPath, _path, overwrite: true);
        }

        public void Dispose()
        {
            if (File.Exists(TempPath)) File.Delete(TempPath);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)));

}
